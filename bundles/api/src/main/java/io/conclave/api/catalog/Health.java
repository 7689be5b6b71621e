package io.conclave.api.catalog;

import java.util.Collection;

/** Consul's check statuses and the aggregation every client computes the same way. */
public final class Health {
    public static final String PASSING = "passing";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";
    /** Only an aggregated status; no check has it. */
    public static final String MAINTENANCE = "maintenance";
    /** Only a query filter ({@code /v1/health/state/any}). */
    public static final String ANY = "any";

    public static final String SERF_CHECK_ID = "serfHealth";
    public static final String SERF_CHECK_NAME = "Serf Health Status";
    public static final String NODE_MAINTENANCE_CHECK_ID = "_node_maintenance";
    public static final String SERVICE_MAINTENANCE_CHECK_PREFIX = "_service_maintenance:";

    private Health() {
    }

    public static boolean isStatus(String s) {
        return PASSING.equals(s) || WARNING.equals(s) || CRITICAL.equals(s);
    }

    /** Go api's {@code HealthChecks.AggregatedStatus}: maintenance > critical > warning > passing. */
    public static String aggregate(Collection<HealthCheck> checks) {
        boolean warning = false;
        boolean critical = false;
        for (HealthCheck c : checks) {
            if (c.checkId().equals(NODE_MAINTENANCE_CHECK_ID) || c.checkId().startsWith(SERVICE_MAINTENANCE_CHECK_PREFIX)) {
                return MAINTENANCE;
            }
            critical |= CRITICAL.equals(c.status());
            warning |= WARNING.equals(c.status());
        }
        return critical ? CRITICAL : warning ? WARNING : PASSING;
    }
}
