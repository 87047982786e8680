package quality_test

import (
	"fmt"
	"strings"

	"github.com/winnow-corpus/winnow/quality"
	"github.com/winnow-corpus/winnow/record"
)

// FineWeb's filters in FineWeb's order: a page of navigation links fails
// the Gopher rules, a page of prose passes and loses its furniture to C4.
func ExampleFineWebChain() {
	pages := []string{
		strings.Repeat("Home\nAbout\nContact\n", 20),
		"Menu\n" +
			"The river rises in the hills and flows to the sea. Its water was once used to drive the mills of the town. Few of them still stand.\n" +
			"Cookies help us. This site uses cookies to work.\n" +
			"Farmers have worked the valley with care for centuries, and the town grew around the old bridge.\n" +
			"Its market, held on the square since 1402, is the oldest in the region and draws visitors from far away.",
	}
	for _, text := range pages {
		r := &record.Record{Text: text}
		for _, f := range quality.FineWebChain(false) {
			if !f.Process(r) {
				break
			}
		}
		if r.Rejection != nil {
			fmt.Println("rejected:", r.Rejection.Stage, r.Rejection.Reason)
			continue
		}
		for _, l := range r.Removed {
			fmt.Printf("removed line %d (%s): %q\n", l.Line, l.Reason, l.Text)
		}
	}
	// Output:
	// rejected: gopher_repetition gopher_dup_line_frac
	// removed line 0 (c4_min_words): "Menu"
	// removed line 2 (c4_policy): "Cookies help us. This site uses cookies to work."
}
