package inspect_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/inspect"
	"github.com/winnow-corpus/winnow/report"
	"github.com/winnow-corpus/winnow/report/reporttest"
)

// The browser tests drive Debian's headless Chromium through chromedriver
// with plain WebDriver HTTP calls. They load the report and the inspector,
// click through to documents, take screenshots (kept under
// $WINNOW_SCREENSHOTS when set, else in the test's temporary directory) and
// fail on a console error, an empty chart or a missing document.

const (
	chromium     = "/usr/bin/chromium"
	chromedriver = "/usr/bin/chromedriver"
	elementKey   = "element-6066-11e4-a52e-4f735466cecf"
)

type browser struct {
	t       *testing.T
	base    string // chromedriver URL
	session string
	shots   string
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func startBrowser(t *testing.T) *browser {
	for _, p := range []string{chromium, chromedriver} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s is absent (apt-get install chromium chromium-driver; .ci/setup does): skipping browser test", p)
		}
	}
	port := freePort(t)
	cmd := exec.Command(chromedriver, fmt.Sprintf("--port=%d", port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	b := &browser{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port), shots: os.Getenv("WINNOW_SCREENSHOTS")}
	if b.shots == "" {
		b.shots = t.TempDir()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if resp, err := http.Get(b.base + "/status"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("chromedriver did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"goog:chromeOptions": map[string]any{"binary": chromium, "args": []string{
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir(), "--window-size=1280,1000"}},
		"goog:loggingPrefs": map[string]any{"browser": "ALL"},
	}}}
	var res struct {
		SessionID string `json:"sessionId"`
	}
	b.call("POST", "/session", caps, &res) // the new session's id is in the value
	if res.SessionID == "" {
		t.Fatal("no WebDriver session")
	}
	b.session = "/session/" + res.SessionID
	t.Cleanup(func() { b.t = t; b.call("DELETE", b.session, nil, nil) })
	return b
}

// call makes one WebDriver request and decodes its "value" into out.
func (b *browser) call(method, path string, body, out any) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, b.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		b.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal(env.Value, out); err != nil {
		b.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
	}
}

func (b *browser) open(url string) { b.call("POST", b.session+"/url", map[string]any{"url": url}, nil) }

func (b *browser) url() string {
	var u string
	b.call("GET", b.session+"/url", nil, &u)
	return u
}

// waitURL waits up to 5 s for the page's address to contain part (after a
// click that navigates).
func (b *browser) waitURL(part string) {
	b.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		u := b.url()
		if strings.Contains(u, part) {
			var state string
			b.eval(`return document.readyState`, &state)
			if state == "complete" {
				return
			}
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("page at %s, want %s", u, part)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *browser) eval(script string, out any, args ...any) {
	if args == nil {
		args = []any{}
	}
	b.call("POST", b.session+"/execute/sync", map[string]any{"script": script, "args": args}, out)
}

func (b *browser) find(css string) string {
	var el map[string]string
	b.call("POST", b.session+"/element", map[string]any{"using": "css selector", "value": css}, &el)
	return el[elementKey]
}

func (b *browser) click(css string) {
	b.call("POST", b.session+"/element/"+b.find(css)+"/click", map[string]any{}, nil)
}

func (b *browser) typeInto(css, text string) {
	b.call("POST", b.session+"/element/"+b.find(css)+"/value", map[string]any{"text": text}, nil)
}

func (b *browser) screenshot(name string) {
	var data string
	b.call("GET", b.session+"/screenshot", nil, &data)
	png, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(png) < 1000 {
		b.t.Fatalf("screenshot %s: %d bytes, %v", name, len(png), err)
	}
	p := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", p)
}

// consoleErrors returns the console messages of level SEVERE since the last
// call.
func (b *browser) consoleErrors() []string {
	var logs []struct {
		Level   string `json:"level"`
		Message string `json:"message"`
	}
	b.call("POST", b.session+"/se/log", map[string]any{"type": "browser"}, &logs)
	var out []string
	for _, l := range logs {
		if l.Level == "SEVERE" {
			out = append(out, l.Message)
		}
	}
	return out
}

func (b *browser) noConsoleErrors(where string) {
	if errs := b.consoleErrors(); len(errs) > 0 {
		b.t.Errorf("%s: console errors: %q", where, errs)
	}
}

func TestBrowserReportAndInspector(t *testing.T) {
	b := startBrowser(t)
	dir := reporttest.WriteOutDir(t)

	// The console check itself must be able to fail.
	b.open("about:blank")
	b.eval(`console.error("winnow self-test")`, nil)
	if errs := b.consoleErrors(); len(errs) != 1 || !strings.Contains(errs[0], "winnow self-test") {
		t.Fatalf("console errors are not captured: %q", errs)
	}

	t.Run("report", func(t *testing.T) {
		b.t = t
		file, _, err := report.WriteFile(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		b.open("file://" + file)
		// Per chart: title, and the marks that have a visible size.
		var charts []struct {
			Title string `json:"title"`
			Marks int    `json:"marks"`
		}
		b.eval(`return Array.from(document.querySelectorAll("svg.chart")).map(s => ({
			title: (s.querySelector(".chart-title")||{}).textContent || "",
			marks: Array.from(s.querySelectorAll(".bar")).filter(m => {
				const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0 }).length }))`, &charts)
		if len(charts) != 8 {
			t.Fatalf("%d charts drawn, want 8", len(charts))
		}
		for _, c := range charts {
			if c.Title == "" || c.Marks == 0 {
				t.Errorf("empty chart %q (%d visible marks)", c.Title, c.Marks)
			}
		}
		var tokens string
		b.eval(`return document.querySelector("#token-table").innerText`, &tokens)
		if !strings.Contains(tokens, "29") {
			t.Errorf("token table without the cl100k total 29: %q", tokens)
		}
		b.screenshot("report")
		b.noConsoleErrors("report")
	})

	t.Run("inspector", func(t *testing.T) {
		b.t = t
		ix, _, err := inspect.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(inspect.NewServer(ix))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		defer srv.Close()

		b.open(srv.URL + "/")
		var rows int
		b.eval(`return document.querySelectorAll("#results tr.hit").length`, &rows)
		if rows != 5 {
			t.Errorf("%d documents listed, want 5", rows)
		}
		b.screenshot("inspect-list")
		b.noConsoleErrors("list")

		// The first document: kept, with two lines struck through.
		b.click(`a.doc-link[href="/doc/0"]`)
		b.waitURL("/doc/0")
		var doc struct {
			ID     string `json:"id"`
			Struck int    `json:"struck"`
			Output string `json:"output"`
		}
		b.eval(`return {id: document.querySelector("#doc-id").textContent,
			struck: document.querySelectorAll("#original del.rm").length,
			output: document.querySelector("#output").innerText}`, &doc)
		if doc.ID != "k0" || doc.Struck != 2 || !strings.Contains(doc.Output, "Second kept line.") {
			t.Errorf("document view: %+v", doc)
		}
		b.screenshot("inspect-doc")
		b.noConsoleErrors("document")

		// Search, then the duplicate cluster side by side.
		b.open(srv.URL + "/")
		b.typeInto("#q", "Brücken")
		b.click("#apply")
		b.waitURL("q=Br")
		var found []string
		b.eval(`return Array.from(document.querySelectorAll("a.doc-link")).map(a => a.textContent)`, &found)
		if strings.Join(found, " ") != "k1 r1" {
			t.Errorf("search found %q, want k1 r1", found)
		}
		b.click(`a.doc-link[href="/doc/1"]`)
		b.waitURL("/doc/1")
		var members []string
		b.eval(`return Array.from(document.querySelectorAll("#cluster ~ .cols .member a.doc-link")).map(a => a.textContent)`, &members)
		if len(members) != 1 || members[0] != "r1" {
			t.Errorf("cluster members %q, want r1", members)
		}
		b.screenshot("inspect-cluster")
		b.noConsoleErrors("cluster")

		// A document that does not exist is a 404 page, not an empty one.
		b.open(srv.URL + "/doc/99")
		var body string
		b.eval(`return document.body.innerText`, &body)
		if !strings.Contains(body, "no such document") {
			t.Errorf("missing document page: %q", body)
		}
		b.consoleErrors() // the 404 itself is logged; drop it
	})
}
