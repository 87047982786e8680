//go:build !linux

package read

import "time"

// threadCPU is not measured on this system: the CPU ratio reads 0.
func threadCPU() time.Duration { return 0 }
