package pii_test

import (
	"fmt"

	"github.com/winnow-corpus/winnow/pii"
)

func ExampleRedactor_Redact() {
	p, err := pii.New(pii.DefaultConfig())
	if err != nil {
		panic(err)
	}
	text, n := p.Redact("Write to jane.doe@example.com or call +44 20 7946 0958 (server 81.2.69.160, version 2.4.1.0, 192.168.0.1).")
	fmt.Println(text)
	fmt.Printf("%+v\n", n)
	// Output:
	// Write to <EMAIL> or call <PHONE> (server <IP_ADDRESS>, version 2.4.1.0, 192.168.0.1).
	// {Emails:1 IPs:1 Phones:1}
}
