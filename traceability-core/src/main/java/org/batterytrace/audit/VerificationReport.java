package org.batterytrace.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.Cosignatures;

/** The outcome of verifying a bundle: every finding, the checkpoint proven against, and the final status. */
public final class VerificationReport {
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> recordLines = new ArrayList<>();
    private Checkpoint checkpoint;
    private List<Cosignatures.Cosigned> cosignatures = List.of();
    private Checkpoint witnessedCheckpoint;
    private CustodyStatus finalStatus;
    private int recordsChecked;
    private int keyEventsChecked;
    private byte[] mapRoot;
    private boolean latestProven;

    void fail(Failure failure, String where, String message) {
        findings.add(new Finding(failure, where, message));
    }

    void recordLine(String line) {
        recordLines.add(line);
    }

    void checkpoint(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    void witnessedCheckpoint(Checkpoint later) {
        this.witnessedCheckpoint = later;
    }

    void cosignatures(List<Cosignatures.Cosigned> valid) {
        this.cosignatures = List.copyOf(valid);
    }

    void finalStatus(CustodyStatus status) {
        this.finalStatus = status;
    }

    void mapRoot(byte[] root) {
        this.mapRoot = root;
    }

    void latestProven(boolean proven) {
        this.latestProven = proven;
    }

    void counts(int keyEvents, int records) {
        this.keyEventsChecked = keyEvents;
        this.recordsChecked = records;
    }

    public boolean ok() {
        return findings.isEmpty();
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    public boolean has(Failure failure) {
        return findings.stream().anyMatch(f -> f.failure() == failure);
    }

    /** One human-readable line per record, in chain order. */
    public List<String> recordLines() {
        return List.copyOf(recordLines);
    }

    public Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /** The bundle's witnessed checkpoint, when it has one that is signed by the log and extends the bundle's. */
    public Optional<Checkpoint> witnessedCheckpoint() {
        return Optional.ofNullable(witnessedCheckpoint);
    }

    /** The valid cosignatures by pinned witnesses on the bundle's checkpoint or its witnessed checkpoint, with their times. */
    public List<Cosignatures.Cosigned> cosignatures() {
        return cosignatures;
    }

    /** State and custodian after the last record, when the chain replayed cleanly. */
    public Optional<CustodyStatus> finalStatus() {
        return Optional.ofNullable(finalStatus);
    }

    /** The map root the checkpoint commits to, when it has one. */
    public Optional<byte[]> mapRoot() {
        return Optional.ofNullable(mapRoot).map(byte[]::clone);
    }

    /** True when a map proof showed that the bundle's last record is the subject's latest at the checkpoint. */
    public boolean latestProven() {
        return latestProven;
    }

    public int recordsChecked() {
        return recordsChecked;
    }

    public int keyEventsChecked() {
        return keyEventsChecked;
    }
}
