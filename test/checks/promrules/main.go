// Command promrules checks Prometheus rule files the way `promtool check
// rules` does (YAML structure, PromQL expressions, label and annotation
// templates), using Prometheus' own rulefmt package.  promtool itself cannot
// be built from the module proxy here (one of its service-discovery
// dependencies is not served), so this links only the parts it needs.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: promrules FILE...")
		os.Exit(2)
	}
	failed := false
	promql := parser.NewParser(parser.Options{})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, f := range os.Args[1:] {
		groups, errs := rulefmt.ParseFile(f, false, model.UTF8Validation, promql, quiet)
		if len(errs) > 0 {
			failed = true
			for _, e := range errs {
				fmt.Fprintf(os.Stderr, "%s: %v\n", f, e)
			}
			continue
		}
		n := 0
		for _, g := range groups.Groups {
			n += len(g.Rules)
		}
		fmt.Printf("%s: %d groups, %d rules: SUCCESS\n", f, len(groups.Groups), n)
	}
	if failed {
		os.Exit(1)
	}
}
