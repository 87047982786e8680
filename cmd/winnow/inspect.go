package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/inspect"
)

func init() {
	var addr string
	cmd := &cobra.Command{
		Use:   "inspect OUTDIR",
		Short: "Browse the kept and removed documents of a run in a local web page",
		Long: `inspect serves a web page over the output directory of "winnow run": filter
documents by status, reason, language, host or text; open one to see its
original text with the removed lines struck through and their reasons beside
the kept output, and the other members of its duplicate cluster side by side.

The first time, inspect indexes the shards into OUTDIR/.winnow/inspect/ (and
again whenever they change); later starts open at once. Removed documents are
there only when the run had --keep-rejected, and kept documents show removed
lines only when the config had output.decision_log: true.

The page is served on 127.0.0.1:8080 by default; --addr 127.0.0.1:0 picks a
free port. It is meant for the local machine: binding another interface
exposes the corpus to the network.`,
		Example: `  winnow run crawl/ -o out/ --keep-rejected && winnow inspect out/
  winnow inspect out/ --addr 127.0.0.1:0`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			ix, rebuilt, err := inspect.Open(args[0])
			if err != nil {
				return err
			}
			if rebuilt {
				fmt.Fprintf(cmd.ErrOrStderr(), "indexed %d documents in %.1f s\n", ix.Meta.Docs, time.Since(start).Seconds())
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			h := inspect.NewServer(ix)
			if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
				h.LoopbackOnly = true
			}
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
			fmt.Fprintf(cmd.OutOrStdout(), "inspecting %d documents of %s at http://%s/ (Ctrl-C to stop)\n", ix.Meta.Docs, args[0], ln.Addr())
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				srv.Shutdown(shutdown)
			}()
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to serve on (host:port; port 0 picks a free one)")
	rootCmd.AddCommand(cmd)
}
