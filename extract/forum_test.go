package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestDropThreadChrome(t *testing.T) {
	html := `<html><body><main><div class="posts">
<div class="post"><blockquote><p>Poltergust said:</p><p>Do I unlock psychic powers?</p><p>Click to shrink...</p></blockquote>
<p>` + para1 + `</p><p><a href="/attachments/1">View attachment 441678</a></p><p>(95.79 KiB) Downloaded 478 times</p></div>
<div class="post"><p>` + para2 + `</p><p>21 {{ upvoteCount | shortNum }}</p><p>{{ DiscussionBoard.errors[11793116].message }}</p>
<p>The {{ form }} tag renders the whole form.</p><pre><code>{{ form }}</code></pre></div>
<p>Create an account or sign in to comment</p><h3>Top Posters In This Topic</h3>
</div></main></body></html>`
	chrome := []string{"Click to shrink", "View attachment", "Downloaded 478", "upvoteCount", "DiscussionBoard", "Create an account", "Top Posters"}
	content := []string{"Do I unlock psychic powers?", para1, para2, "The {{ form }} tag renders the whole form.", "\n{{ form }}"}
	tr := parse([]byte(html), 1<<20)
	prune(tr, "forum")
	blocks := linearize(tr)
	for _, on := range []bool{true, false} {
		got := blocks
		if on {
			got = dropThreadChrome(blocks)
		}
		text := renderText(got)
		for _, s := range content {
			if !strings.Contains(text, s) {
				t.Errorf("rule on = %v: content %q lost:\n%s", on, s, text)
			}
		}
		for _, s := range chrome {
			if strings.Contains(text, s) == on {
				t.Errorf("rule on = %v: chrome %q kept = %v:\n%s", on, s, !on, text)
			}
		}
	}
}

func TestAttributions(t *testing.T) {
	post := func(name, joined, date, text string) string {
		return `<article class="message"><div class="message-user"><h4 class="message-name"><a href="/members/1" class="username">` + name +
			`</a></h4><h5 class="userTitle">Senior Member</h5><dl class="pairs"><dt>Joined</dt><dd>` + joined + `</dd></dl></div>
<div class="message-main"><header class="message-attribution"><a href="/posts/1"><time datetime="2024-09-21">` + date + `</time></a></header>
<div class="message-body"><p>` + text + `</p></div><footer><a href="/reply">Reply</a></footer></div></article>`
	}
	html := `<html><body><main><h1>Thread</h1><div class="posts">` +
		post("riverwatcher", "Jun 4, 2001", "Sep 21, 2024", para1) +
		post("levee_crew", "Aug 24, 2006", "Sep 21, 2024", para2) +
		post("riverwatcher", "Jun 4, 2001", "Sep 22, 2024", para3) +
		`</div></main></body></html>`
	for _, on := range []bool{true, false} {
		text := forumText(html, on)
		for _, s := range []string{para1, para2, para3} {
			if !strings.Contains(text, s) {
				t.Errorf("rule on = %v: post lost:\n%s", on, text)
			}
		}
		// Names and dates recur: dropChrome and the stat lines would
		// take them.
		want := "riverwatcher\n\nSep 21, 2024\n\n" + para1 + "\n\nlevee_crew\n\nSep 21, 2024\n\n" + para2 +
			"\n\nriverwatcher\n\nSep 22, 2024\n\n" + para3
		if got := strings.Contains(text, want); got != on {
			t.Errorf("rule on = %v: attributions kept = %v; text:\n%s", on, got, text)
		}
		for _, s := range []string{"Joined", "Jun 4, 2001", "Senior Member", "Reply"} {
			if strings.Contains(text, s) {
				t.Errorf("rule on = %v: %q kept:\n%s", on, s, text)
			}
		}
	}
}

// forumText runs on html the rules of a forum page up to keepNamed and,
// with attrib, attributions, as run does, and polishes the result.
func forumText(html string, attrib bool) string {
	tr := parse([]byte(html), 1<<20)
	prune(tr, "forum")
	blocks := linearize(tr)
	sum := make([]float64, len(tr.nodes))
	sel := selectMain(tr, blocks, sum, "forum")
	all := blocks[sel.start:sel.end]
	chosen := cutLinkLists(tr, all, sel, sum, false)
	var kept map[int32]bool
	if attrib {
		kept = attributions(tr, all, isPostBody)
	}
	chosen = withBlocks(keepNamed(tr, chosen, isPostBody), all, kept)
	st := &state{res: Result{Metadata: Metadata{PageType: "forum"}}, t: tr, blocks: blocks, sel: sel, dek: -1, attrib: kept}
	return renderText(st.polish(chosen))
}

func TestPostBodyRichText(t *testing.T) {
	post := func(name, date, text string) string {
		return `<article class="cPost ipsComment"><div class="cAuthorPane"><h3 class="cAuthorPane_author"><a href="/profile/1">` + name +
			`</a></h3></div><div class="ipsComment_meta"><a href="/topic/1/#comment-1"><time datetime="2024-04-18">Posted ` + date + `</time></a></div>
<div data-role="commentContent" class="ipsType_normal ipsType_richText ipsContained"><p>` + text + `</p></div></article>`
	}
	html := `<html><body><main><h1>Thread</h1><div class="cTopic">` +
		post("riverwatcher", "April 18, 2024", para1) + post("levee_crew", "April 19, 2024", para2) + post("riverwatcher", "April 20, 2024", para3) +
		`<h2>Join the conversation</h2><p>You can post now and register later. If you have an account, sign in now to post with your account.</p>` +
		`</div></main></body></html>`
	saved := postNames
	defer func() { postNames = saved }()
	for _, on := range []bool{true, false} {
		postNames = saved
		if !on {
			postNames = slices.DeleteFunc(slices.Clone(saved), func(s string) bool { return s == "richtext" })
		}
		text := forumText(html, true)
		for _, s := range []string{para1, para2, para3} {
			if !strings.Contains(text, s) {
				t.Errorf("rule on = %v: post lost:\n%s", on, text)
			}
		}
		// Named bodies: the invitation under the thread goes, and each
		// post keeps its date.
		if got := strings.Contains(text, "register later"); got == on {
			t.Errorf("rule on = %v: invitation kept = %v:\n%s", on, got, text)
		}
		if got := strings.Contains(text, "Posted April 19, 2024\n\n"+para2); got != on {
			t.Errorf("rule on = %v: date kept = %v:\n%s", on, got, text)
		}
	}
}
