// Command composeconfig loads Compose files the way `docker compose config`
// does, with compose-go (the library Docker Compose is built on):
// interpolation of ${VAR:-default} from the environment, the schema check
// after interpolation, normalisation and the consistency checks (services,
// networks, volumes and secrets that are referenced must exist).  It prints
// each service with its image or build, and exits 1 on any error.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: composeconfig FILE...")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions(os.Args[1:], cli.WithOsEnv, cli.WithConsistency(true))
	if err == nil {
		err = load(opts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func load(opts *cli.ProjectOptions) error {
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return err
	}
	names := project.ServiceNames()
	sort.Strings(names)
	for _, name := range names {
		svc := project.Services[name]
		from := svc.Image
		if svc.Build != nil {
			from = fmt.Sprintf("%s (built from %s, %s)", svc.Image, svc.Build.Context, svc.Build.Dockerfile)
		}
		fmt.Printf("service %s: %s\n", name, from)
		if len(svc.Command) > 0 {
			fmt.Printf("    command: %q\n", []string(svc.Command))
		}
	}
	fmt.Printf("project %s: %d services, %d volumes\n", project.Name, len(names), len(project.Volumes))
	return nil
}
