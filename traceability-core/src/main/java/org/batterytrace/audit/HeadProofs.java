package org.batterytrace.audit;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapValue;

/**
 * Whether a bundle holds the whole chain of a subject other than its own (a facts chain, a linked battery or
 * lot) up to the checkpoint: the map's head for it is the bundle's last entry of it, or the map proves it
 * absent and the bundle holds none. A missing head proof is {@link Failure#MAP_PROOF_MISSING}, a contradicted
 * one {@link Failure#NOT_LATEST} (entries withheld).
 */
final class HeadProofs {
    private HeadProofs() {
    }

    /**
     * @param last    the bundle's last entry of {@code subject}, or null when it holds none
     * @param proven  the labels the bundle's map proofs proved (null when there is no map to check against, reported already)
     * @param member  the bundle member the entries are in, for the report
     * @param why     what reads the chain, for the report
     */
    static boolean complete(String subject, LoggedRecord last, Map<String, Optional<MapValue>> proven, Set<String> invalid, String member, String why,
            VerificationReport report) {
        String label = MapLabels.head(subject);
        if (proven == null || invalid.contains(label)) {
            return false;
        }
        Optional<MapValue> head = proven.get(label);
        if (head == null) {
            report.fail(Failure.MAP_PROOF_MISSING, "mapProofs", "no map proof for " + label + ", " + why);
            return false;
        }
        if (head.isEmpty()) {
            if (last != null) {
                report.fail(Failure.NOT_LATEST, member, "the map holds no " + subject + " but the bundle does");
                return false;
            }
            return true;
        }
        MapValue.Head h = (MapValue.Head) head.get();
        if (last == null || h.logIndex() != last.logIndex() || !h.hash().equals(last.entry().hash())) {
            report.fail(Failure.NOT_LATEST, member, "the latest entry of " + subject + " is #" + h.seq() + " (log index " + h.logIndex() + "); the bundle "
                    + (last == null ? "holds none" : "ends at #" + last.entry().record().seq() + " (log index " + last.logIndex() + ")"));
            return false;
        }
        return true;
    }
}
