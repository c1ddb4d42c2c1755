// Unit tests of k8s/monitoring/alerts.yaml: each scenario loads metric series
// (as postgres_exporter would report them, one sample a minute), evaluates
// every alerting rule once a minute as Prometheus does, with its "for"
// duration, and compares the alerts firing at chosen minutes with the
// expected ones.  promtool's `test rules` does the same but cannot be built
// here; this uses the same packages (promql, promqltest, rules).
package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/rules"
)

const healthySlot = `
pub_backoffice_slot_active{slot_name="pub_backoffice_relay",database="pub",wal_status="reserved"} 1x60
pub_backoffice_slot_lag_bytes{slot_name="pub_backoffice_relay",database="pub",wal_status="reserved"} 1000+1000x60
pub_backoffice_slot_safe_wal_bytes{slot_name="pub_backoffice_relay",database="pub",wal_status="reserved"} 30000000000x60
`
const healthyRelay = `
pub_backoffice_relay_up{database="pub",slot="pub_backoffice_relay",state="streaming"} 1x60
pub_backoffice_relay_lag_seconds{database="pub",slot="pub_backoffice_relay",state="streaming"} 0x60
pub_backoffice_relay_last_error_timestamp{database="pub",slot="pub_backoffice_relay",state="streaming"} 0x60
`

type scenario struct {
	name   string
	series string
	firing map[int][]string // minute -> alerts firing then (sorted)
}

var scenarios = []scenario{
	{"healthy: nothing fires", healthySlot + healthyRelay,
		map[int][]string{0: nil, 15: nil, 59: nil}},
	{"relay stopped: slot inactive, fires after 5 minutes", `
pub_backoffice_slot_active{slot_name="s",database="pub",wal_status="reserved"} 1 1 0x58
pub_backoffice_slot_lag_bytes{slot_name="s",database="pub",wal_status="reserved"} 0x60
pub_backoffice_slot_safe_wal_bytes{slot_name="s",database="pub",wal_status="reserved"} -1x60
` + healthyRelay,
		map[int][]string{2: nil, 6: nil, 7: {"PubBackofficeRelayStopped"}, 30: {"PubBackofficeRelayStopped"}}},
	{"relay failed per pub.relay_status", healthySlot + `
pub_backoffice_relay_up{database="pub",slot="s",state="failed"} 0x60
`, map[int][]string{4: nil, 5: {"PubBackofficeRelayStopped"}}},
	{"slot lag: warning after 10 minutes over 1 GiB, critical over 10 GiB", `
pub_backoffice_slot_active{slot_name="s",database="pub",wal_status="extended"} 1x60
pub_backoffice_slot_lag_bytes{slot_name="s",database="pub",wal_status="extended"} 0 2000000000+200000000x59
pub_backoffice_slot_safe_wal_bytes{slot_name="s",database="pub",wal_status="extended"} -1x60
` + healthyRelay,
		map[int][]string{10: nil, 11: {"PubBackofficeSlotLagHigh"},
			// over 10 GiB from minute 45 (2e9 + 44*2e8 = 10.8e9 > 10.74e9), critical 5 minutes later
			49: {"PubBackofficeSlotLagHigh"}, 50: {"PubBackofficeSlotLagCritical", "PubBackofficeSlotLagHigh"}}},
	// A label set the exporter stops reporting goes stale at the next scrape.
	{"WAL nearly at max_slot_wal_keep_size, then the slot is lost", `
pub_backoffice_slot_active{slot_name="s",database="pub",wal_status="unreserved"} 1x20 stale
pub_backoffice_slot_safe_wal_bytes{slot_name="s",database="pub",wal_status="unreserved"} 5000000000 1000000000x19 stale
pub_backoffice_slot_lag_bytes{slot_name="s",database="pub",wal_status="unreserved"} 0x20 stale
pub_backoffice_slot_active{slot_name="s",database="pub",wal_status="lost"} _x20 0x20
pub_backoffice_slot_lag_bytes{slot_name="s",database="pub",wal_status="lost"} _x20 0x20
` + healthyRelay,
		map[int][]string{1: nil, 2: {"PubBackofficeSlotWalAtRisk"},
			22: {"PubBackofficeSlotLost"}, 28: {"PubBackofficeRelayStopped", "PubBackofficeSlotLost"}}},
	{"no slot reported: missing after 10 minutes", healthyRelay,
		map[int][]string{9: nil, 10: {"PubBackofficeRelayMissing"}}},
	{"commit-to-Kafka lag over a minute for 5 minutes", healthySlot + `
pub_backoffice_relay_up{database="pub",slot="s",state="waiting_for_broker"} 1x60
pub_backoffice_relay_lag_seconds{database="pub",slot="s",state="waiting_for_broker"} 0+30x60
`, map[int][]string{7: nil, 8: {"PubBackofficeRelayLagSeconds"}}},
	// Series start at Unix time 0: an error at minute 20 is timestamp 1200.
	{"a relay error fires for 15 minutes", healthySlot + `
pub_backoffice_relay_up{database="pub",slot="s",state="streaming"} 1x60
pub_backoffice_relay_last_error_timestamp{database="pub",slot="s",state="streaming"} 0x19 1200x40
`, map[int][]string{19: nil, 20: {"PubBackofficeRelayErrors"}, 34: {"PubBackofficeRelayErrors"}, 36: nil}},
}

func loadRules(t *testing.T) []*rules.AlertingRule {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	path := os.Getenv("PBO_ALERTS")
	if path == "" {
		path = "../../../k8s/monitoring/alerts.yaml"
	}
	promql := parser.NewParser(parser.Options{})
	groups, errs := rulefmt.ParseFile(path, false, model.UTF8Validation, promql, quiet)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", path, errs)
	}
	var out []*rules.AlertingRule
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			expr, err := promql.ParseExpr(r.Expr)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, rules.NewAlertingRule(r.Alert, expr, time.Duration(r.For), 0,
				labels.FromMap(r.Labels), labels.FromMap(r.Annotations), labels.EmptyLabels(), "", false, quiet))
		}
	}
	return out
}

func TestAlerts(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			alerts := loadRules(t)
			storage := promqltest.LoadedStorage(t, loadCommand(sc.series))
			query := rules.EngineQueryFunc(promqltest.NewTestEngine(t, false, 0, 100000), storage)
			last := slices.Max(keys(sc.firing))
			for minute := 0; minute <= last; minute++ {
				ts := time.Unix(int64(minute*60), 0).UTC()
				var firing []string
				for _, a := range alerts {
					if _, err := a.Eval(context.Background(), 0, ts, query, nil, 0); err != nil {
						t.Fatalf("%s at minute %d: %v", a.Name(), minute, err)
					}
					for _, active := range a.ActiveAlerts() {
						if active.State == rules.StateFiring && !slices.Contains(firing, a.Name()) {
							firing = append(firing, a.Name())
						}
					}
				}
				slices.Sort(firing)
				if want, ok := sc.firing[minute]; ok && !slices.Equal(firing, want) {
					t.Errorf("minute %d: firing %v, want %v", minute, firing, want)
				}
			}
		})
	}
}

// loadCommand makes a promqltest "load" block: one indented series a line,
// no blank lines (a blank line would end the block).
func loadCommand(series string) string {
	cmd := "load 1m\n"
	for _, line := range strings.Split(series, "\n") {
		if strings.TrimSpace(line) != "" {
			cmd += "    " + strings.TrimSpace(line) + "\n"
		}
	}
	return cmd
}

func keys(m map[int][]string) []int {
	var k []int
	for key := range m {
		k = append(k, key)
	}
	return k
}
