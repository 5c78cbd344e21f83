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
    private CustodyStatus finalStatus;
    private int recordsChecked;
    private int keyEventsChecked;

    void fail(Failure failure, String where, String message) {
        findings.add(new Finding(failure, where, message));
    }

    void recordLine(String line) {
        recordLines.add(line);
    }

    void checkpoint(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    void cosignatures(List<Cosignatures.Cosigned> valid) {
        this.cosignatures = List.copyOf(valid);
    }

    void finalStatus(CustodyStatus status) {
        this.finalStatus = status;
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

    /** The valid cosignatures by pinned witnesses on the bundle's checkpoint, with their times. */
    public List<Cosignatures.Cosigned> cosignatures() {
        return cosignatures;
    }

    /** State and custodian after the last record, when the chain replayed cleanly. */
    public Optional<CustodyStatus> finalStatus() {
        return Optional.ofNullable(finalStatus);
    }

    public int recordsChecked() {
        return recordsChecked;
    }

    public int keyEventsChecked() {
        return keyEventsChecked;
    }
}
