package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/pipeline"
)

func init() {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print, list and check pipeline configs",
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "default",
		Short:   "Print the recommended pipeline config",
		Example: "  winnow config default > pipeline.yaml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := pipeline.DefaultConfig().MarshalYAML()
			if err != nil {
				return err
			}
			_, err = os.Stdout.Write(b)
			return err
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:     "check FILE",
		Short:   "Check a pipeline config: unknown keys and bad values are errors naming the key",
		Example: "  winnow config check pipeline.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := pipeline.LoadConfig(args[0])
			if err != nil {
				return err
			}
			if _, err := pipeline.BuildStages(c.Stages); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			fmt.Printf("%s: ok, %d stages\n", args[0], len(c.Stages))
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:     "stages",
		Short:   "List the stages a config can use, with their default parameters",
		Example: "  winnow config stages",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range pipeline.StageNames() {
				fmt.Printf("%s\n    %s\n", name, pipeline.StageDoc(name))
			}
			return nil
		},
	})
	rootCmd.AddCommand(cmd)
}
