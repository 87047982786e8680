package extract

import (
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
