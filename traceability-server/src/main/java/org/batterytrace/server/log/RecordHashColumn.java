package org.batterytrace.server.log;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.batterytrace.record.Hashes;

/** Record hashes are hex text in the API and 32 bytes in {@code log_entry.hash} (migration V13). */
@Converter
public class RecordHashColumn implements AttributeConverter<String, byte[]> {
    @Override
    public byte[] convertToDatabaseColumn(String hex) {
        return hex == null ? null : Hashes.fromHex(hex);
    }

    @Override
    public String convertToEntityAttribute(byte[] bytes) {
        return bytes == null ? null : Hashes.hex(bytes);
    }
}
