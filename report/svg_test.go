package report

import "testing"

func TestNiceMax(t *testing.T) {
	tests := []struct{ v, want float64 }{
		{0, 4}, {-1, 4}, {3, 4}, {4, 4}, {5, 6}, {23, 24}, {41, 60}, {1000, 1000}, {1001, 1200}, {7e6, 8e6},
	}
	for _, tt := range tests {
		if got := niceMax(tt.v); got != tt.want {
			t.Errorf("niceMax(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestFmtNum(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{{0, "0"}, {950, "950"}, {12500, "12.5k"}, {3.2e6, "3.2M"}, {2e9, "2G"}, {0.25, "0.25"}}
	for _, tt := range tests {
		if got := fmtNum(tt.v); got != tt.want {
			t.Errorf("fmtNum(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
