package org.batterytrace.server.console;

import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.recycling.Metal;
import org.batterytrace.server.TimeRange;
import org.batterytrace.server.access.ReadPolicy;
import org.batterytrace.server.access.RegionScope;
import org.batterytrace.server.compliance.ComplianceDtos;
import org.batterytrace.server.compliance.ComplianceService;
import org.batterytrace.server.report.ReportService;
import org.batterytrace.server.report.Table;
import org.batterytrace.server.time.TraceClock;

/**
 * The regulator's dashboard: five charts, each drawn from one reports-API table computed by the same
 * service call with the same defaults as the API operation its CSV link names (so the CSV the regulator
 * downloads is the chart's data), within the region scope {@link ReadPolicy#requireOversight} grants.
 */
@ApplicationScoped
public class RegulatorDashboard {
    /** Hunan's 14 prefecture-level divisions (GB/T 2260 prefixes) on a schematic 4 × 4 grid, by relative position. */
    static final List<City> HUNAN = List.of(
            new City("4308", "张家界", "Zhangjiajie", 0, 0), new City("4307", "常德", "Changde", 1, 0), new City("4309", "益阳", "Yiyang", 2, 0),
            new City("4306", "岳阳", "Yueyang", 3, 0), new City("4331", "湘西", "Xiangxi", 0, 1), new City("4313", "娄底", "Loudi", 1, 1),
            new City("4303", "湘潭", "Xiangtan", 2, 1), new City("4301", "长沙", "Changsha", 3, 1), new City("4312", "怀化", "Huaihua", 0, 2),
            new City("4305", "邵阳", "Shaoyang", 1, 2), new City("4304", "衡阳", "Hengyang", 2, 2), new City("4302", "株洲", "Zhuzhou", 3, 2),
            new City("4311", "永州", "Yongzhou", 1, 3), new City("4310", "郴州", "Chenzhou", 2, 3));

    record City(String prefix, String zh, String en, int column, int row) {
    }

    @Inject
    ReadPolicy readPolicy;
    @Inject
    ReportService reports;
    @Inject
    ComplianceService compliance;
    @Inject
    TraceClock clock;

    /** A chart, its data as a table, and the API address of the same data as CSV. */
    public record Chart(String id, String title, RawString svg, List<String> columns, List<List<String>> rows, String csv, String note) {
    }

    public record Dashboard(String scope, List<Chart> charts) {
    }

    /** @throws org.batterytrace.server.problem.ProblemException 403 regulator-required for anyone but regulators and the administrator */
    public Dashboard build(Map<String, String> m, boolean chinese) {
        RegionScope scope = readPolicy.requireOversight();
        List<Chart> charts = new ArrayList<>();
        charts.add(stock(reports.batteries("city", null, scope), m, chinese));
        TimeRange year = TimeRange.parse(null, null, clock.now());
        charts.add(flows(reports.events("month", null, year.from(), year.to(), TimeRange.Basis.EVENT, scope), m));
        charts.add(cascade(reports.cascadeShare(null, null, scope), m));
        charts.add(recovery(reports.recovery(null, null, scope), m));
        charts.add(timeliness(Table.of(ComplianceDtos.EnterpriseTimeliness.class, compliance.overview(year.from(), year.to(), TimeRange.Basis.UPLOAD, scope)), m));
        return new Dashboard(scope.isCountry() ? m.get("country") : scope.label(), charts);
    }

    private static Chart stock(Table table, Map<String, String> m, boolean chinese) {
        Map<String, Long> byCity = new HashMap<>();
        long outside = 0;
        for (List<Object> row : table.rows()) {
            String city = (String) row.get(0);
            long count = ((Number) row.get(1)).longValue();
            if (city != null && city.startsWith("43")) {
                byCity.merge(city.substring(0, 4), count, Long::sum);
            } else {
                outside += count;
            }
        }
        List<SvgCharts.Tile> tiles = HUNAN.stream().map(c -> new SvgCharts.Tile(c.prefix() + "00", chinese ? c.zh() : c.en(), c.column(), c.row(),
                byCity.getOrDefault(c.prefix(), 0L))).toList();
        String note = outside > 0 ? m.get("outsideHunan") + ": " + outside : null;
        return chart("stock", m.get("stockTitle"), SvgCharts.tiles("chart-stock", m.get("stockTitle"), tiles, m.get("mapNote")), table,
                "/api/v1/reports/batteries?groupBy=city&format=csv", note);
    }

    private static Chart flows(Table table, Map<String, String> m) {
        List<SvgCharts.Bar> bars = table.rows().stream().map(r -> new SvgCharts.Bar((String) r.get(0), ((Number) r.get(1)).doubleValue(), String.valueOf(r.get(1)), false))
                .toList();
        return chart("flows", m.get("flowsTitle"), SvgCharts.columns("chart-flows", m.get("flowsTitle"), bars), table,
                "/api/v1/reports/events?groupBy=month&format=csv", null);
    }

    private static Chart cascade(Table table, Map<String, String> m) {
        int judgedBy = table.columns().indexOf("judgedBy");
        List<SvgCharts.Bar> bars = new ArrayList<>();
        for (List<Object> r : table.rows()) {
            Object judged = r.get(judgedBy);
            Object share = "mass".equals(judged) ? r.get(table.columns().indexOf("shareByMass")) : r.get(table.columns().indexOf("shareByCount"));
            double value = share == null ? 0 : Double.parseDouble(share.toString());
            bars.add(new SvgCharts.Bar(r.get(0) + " " + r.get(1), value, share == null ? "—" : share + " %", share != null && value < 60));
        }
        return chart("cascade", m.get("cascadeTitle"), SvgCharts.horizontal("chart-cascade", m.get("cascadeTitle"), bars, 100, 60.0, m.get("norm")), table,
                "/api/v1/reports/cascade-share?format=csv", null);
    }

    private static Chart recovery(Table table, Map<String, String> m) {
        List<SvgCharts.Bar> bars = new ArrayList<>();
        for (List<Object> r : table.rows()) {
            for (Metal metal : Metal.values()) {
                Object rate = r.get(table.columns().indexOf(metal.symbol()));
                if (rate != null) {
                    bars.add(new SvgCharts.Bar(r.get(1) + " · " + metal.symbol(), Double.parseDouble(rate.toString()), rate + " %", false));
                }
            }
        }
        return chart("recovery", m.get("recoveryTitle"), SvgCharts.horizontal("chart-recovery", m.get("recoveryTitle"), bars, 100, null, null), table,
                "/api/v1/reports/recovery?format=csv", null);
    }

    private static Chart timeliness(Table table, Map<String, String> m) {
        List<SvgCharts.Bar> bars = table.rows().stream().map(r -> {
            double share = Double.parseDouble(r.get(5).toString());
            return new SvgCharts.Bar(r.get(0) + " " + r.get(1), share, r.get(4) + " / " + r.get(3) + " (" + r.get(5) + " %)", share > 0);
        }).toList();
        return chart("timeliness", m.get("timelinessTitle"), SvgCharts.horizontal("chart-timeliness", m.get("timelinessTitle"), bars, 100, null, null), table,
                "/api/v1/compliance/timeliness?format=csv", null);
    }

    private static Chart chart(String id, String title, String svg, Table table, String csv, String note) {
        List<List<String>> rows = table.rows().stream().map(r -> r.stream().map(v -> v == null ? "" : v.toString()).toList()).toList();
        return new Chart(id, title, new RawString(svg), table.columns(), rows, csv, note);
    }
}
