package org.batterytrace.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.batterytrace.record.Json;

/** The committed one-case-per-file test vectors: read them, and (for the generators) rewrite them. */
public final class VectorFiles {
    private VectorFiles() {
    }

    /** Every {@code .json} file below {@code dir}, by its path relative to {@code dir} with '/' separators. */
    public static Map<String, JsonNode> read(Path dir) throws IOException {
        Map<String, JsonNode> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path file : paths.filter(f -> f.toString().endsWith(".json")).toList()) {
                files.put(dir.relativize(file).toString().replace('\\', '/'), Json.parse(Files.readAllBytes(file)));
            }
        }
        return files;
    }

    /**
     * The committed files below {@code dir}, each asserted to be exactly what the generator makes
     * ({@code generated}) and then handed to {@code check}, which does with it what another implementation would.
     */
    public static Map<String, JsonNode> readMatching(Path dir, Map<String, ? extends JsonNode> generated, BiConsumer<String, JsonNode> check) throws IOException {
        Map<String, JsonNode> committed = read(dir);
        assertEquals(generated.keySet(), committed.keySet(), "the committed vector files are not what the generator writes; regenerate (see javadoc)");
        for (Map.Entry<String, JsonNode> e : committed.entrySet()) {
            assertEquals(Json.parse(Json.MAPPER.writeValueAsBytes(generated.get(e.getKey()))), e.getValue(), e.getKey() + " differs from the generator's output");
            check.accept(e.getKey(), e.getValue());
        }
        return committed;
    }

    /** Replaces the {@code .json} files below {@code dir} with {@code files} (indented, one newline at the end). */
    public static void write(Path dir, Map<String, ? extends JsonNode> files) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path f : old.filter(p -> p.toString().endsWith(".json")).toList()) {
                    Files.delete(f);
                }
            }
        }
        for (Map.Entry<String, ? extends JsonNode> e : files.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(e.getValue()) + "\n");
        }
        System.out.println("wrote " + files.size() + " files under " + dir.toAbsolutePath().normalize());
    }
}
