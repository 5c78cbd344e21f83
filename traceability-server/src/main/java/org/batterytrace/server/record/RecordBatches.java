package org.batterytrace.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.problem.Problem;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;
import org.batterytrace.server.problem.Problems;

/** Reading a bulk request body. */
public final class RecordBatches {
    private RecordBatches() {
    }

    /** {"records": [...]}, each parsed strictly; unreadable items are all reported together. */
    public static List<SignedRecord> parse(JsonNode body) {
        JsonNode array = body.get("records");
        if (!body.isObject() || array == null || !array.isArray()) {
            throw new ProblemException(ProblemKind.MALFORMED_BATCH, "body must be {\"records\": [signed records]}");
        }
        List<SignedRecord> records = new ArrayList<>(array.size());
        List<Problem.ItemError> errors = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                records.add(SignedRecord.fromJson(array.get(i)));
            } catch (RuntimeException e) {
                errors.add(Problems.from(e).asItem(i));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemKind.RECORDS_MALFORMED, errors.size() + " of " + array.size() + " records are malformed; nothing was stored", errors);
        }
        return records;
    }

}
