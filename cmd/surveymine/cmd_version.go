package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the program version and the versions of its main libraries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(g.stdout, "surveymine %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, dep := range bi.Deps {
					switch dep.Path {
					case "github.com/go-ego/gse", "gonum.org/v1/gonum", "github.com/apache/arrow-go/v18", "github.com/parquet-go/parquet-go":
						fmt.Fprintf(g.stdout, "  %s %s\n", dep.Path, dep.Version)
					}
				}
			}
			return nil
		},
	}
}
