package org.batterytrace.server.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The problem kinds are a closed list ({@link ProblemKind}): each is asserted by some test (by its slug or
 * its constant), documented in the README, and no code outside {@link ProblemKind} invents a kind.
 */
class ProblemKindsTest {
    private static final Path TESTS = Path.of("src", "test", "java");
    private static final Path MAIN = Path.of("src", "main", "java");

    private static String sources(Path root, Path except) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java") && !p.endsWith(except)).map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    @Test
    void everyKindIsAssertedBySomeTest() throws IOException {
        String tests = sources(TESTS, Path.of("ProblemKindsTest.java"));
        List<String> unasserted = Arrays.stream(ProblemKind.values())
                .filter(k -> !tests.contains("\"" + k.slug() + "\"") && !tests.contains("problem:" + k.slug() + "\"") && !tests.contains("ProblemKind." + k.name()))
                .map(ProblemKind::slug).toList();
        assertEquals(List.of(), unasserted, "problem kinds no test asserts");
    }

    @Test
    void everyKindIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> missing = Arrays.stream(ProblemKind.values()).filter(k -> !readme.contains("| `" + k.slug() + "` | " + k.status() + " |"))
                .map(ProblemKind::slug).toList();
        assertEquals(List.of(), missing, "problem kinds missing from the README's table (| `slug` | status | meaning |)");
    }

    @Test
    void slugsAreUniqueAndNoCodeSpellsAProblemTypeOutsideTheList() throws IOException {
        Set<String> slugs = Arrays.stream(ProblemKind.values()).map(ProblemKind::slug).collect(Collectors.toSet());
        assertEquals(ProblemKind.values().length, slugs.size());
        String main = sources(MAIN, Path.of("ProblemKind.java"));
        assertTrue(!main.contains("urn:batterytrace:problem:"), "problem types are spelled only in ProblemKind");
    }
}
