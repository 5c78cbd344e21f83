package org.batterytrace.lifecycle;

/** What an organization is allowed to do on the platform. An organization may hold several roles. */
public enum Role {
    BATTERY_MAKER,
    VEHICLE_MAKER,
    DEALER,
    REPAIRER,
    SERVICE_POINT,
    DISMANTLER,
    CASCADE_ENTERPRISE,
    RECYCLER,
    REGULATOR,
    /** Reads the records of enterprises that granted it access, explicitly and revocably; records nothing. */
    AUDITOR,
    PLATFORM_ADMIN;

    /** Roles that oversee or inspect, and so never hold a battery. */
    public boolean oversees() {
        return this == REGULATOR || this == AUDITOR || this == PLATFORM_ADMIN;
    }

    /** Roles whose holders take in waste batteries and so must be white-listed (qualified). */
    public boolean handlesWasteBatteries() {
        return this == SERVICE_POINT || this == DISMANTLER || this == CASCADE_ENTERPRISE || this == RECYCLER;
    }
}
