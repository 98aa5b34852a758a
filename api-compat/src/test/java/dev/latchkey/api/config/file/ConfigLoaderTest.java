package dev.latchkey.api.config.file;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table-driven: every {@code .hcl}/{@code .json} file in {@code config-fixtures} sits beside a
 * {@code .expected} file holding either the loaded model and warnings, or the exact error text.
 * Fixtures may write {@code @DIR@} for a directory that holds {@code server.pem}, {@code server.key}
 * and {@code ca.pem} (the loader only checks that certificate files can be read).
 */
class ConfigLoaderTest {
    static final Path FIXTURES = Path.of("src/test/resources/config-fixtures");

    @TempDir
    Path dir;

    private Path materialise(Path fixture) throws IOException {
        for (String name : List.of("server.pem", "server.key", "ca.pem")) {
            Files.writeString(dir.resolve(name), "placeholder\n");
        }
        Path copy = dir.resolve(fixture.getFileName().toString());
        Files.writeString(copy, Files.readString(fixture).replace("@DIR@", dir.toString()));
        return copy;
    }

    /** The loader's answer as text: the model and warnings, or the error lines. */
    private String outcome(List<Path> paths, ConfigInputs inputs) {
        String text;
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.load(paths, inputs);
            text = loaded.config().toString().replace(", ", ",\n  ") + "\n" + String.join("\n", loaded.warnings());
        } catch (ConfigException e) {
            text = "ERROR\n" + e.getMessage();
        }
        return text.replace(dir.toString(), "@DIR@").replace(FIXTURES.toString(), "@FIXTURES@").strip() + "\n";
    }

    @TestFactory
    Stream<DynamicTest> fixtures() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(FIXTURES)) {
            s.filter(p -> p.toString().endsWith(".hcl") || p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String actual = outcome(List.of(materialise(f)), ConfigInputs.none());
            Path expected = FIXTURES.resolve(f.getFileName() + ".expected");
            // a new or changed outcome is written out, for review and copying beside the fixture
            if (!Files.exists(expected) || !Files.readString(expected, StandardCharsets.UTF_8).equals(actual)) {
                Path out = Path.of("target/config-fixtures-actual");
                Files.createDirectories(out);
                Files.writeString(out.resolve(expected.getFileName()), actual);
            }
            assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual);
        }));
    }

    @Test
    void hclAndJsonFormsGiveEqualModels() throws Exception {
        ServerConfig hcl = ConfigLoader.load(List.of(FIXTURES.resolve("same.hcl")), ConfigInputs.none()).config();
        ServerConfig json = ConfigLoader.load(List.of(FIXTURES.resolve("same.json")), ConfigInputs.none()).config();
        // the same listeners, written on other lines of other files
        assertEquals(hcl.listeners().toString().replaceAll("origin=[^\\]]*", ""),
                json.listeners().toString().replaceAll("origin=[^\\]]*", ""));
        assertEquals("src/test/resources/config-fixtures/same.json:4", json.listeners().get(1).origin());
        assertEquals(hcl.storage(), json.storage());
        assertEquals(hcl.defaultLeaseTtlSeconds(), json.defaultLeaseTtlSeconds());
        assertEquals(hcl.maxLeaseTtlSeconds(), json.maxLeaseTtlSeconds());
    }

    @Test
    void aDirectoryLoadsItsHclAndJsonFilesInNameOrderAndMerges() throws Exception {
        Path d = FIXTURES.resolve("dir-merge");
        ServerConfig c = ConfigLoader.load(List.of(d), ConfigInputs.none()).config();
        assertEquals(List.of(d.resolve("10-base.hcl"), d.resolve("20-more.json")), c.files());
        assertEquals(new StorageConfig.Inmem(), c.storage(), "a later storage block replaces the earlier");
        assertEquals(List.of(8200, 8300), c.listeners().stream().map(ListenerConfig::port).toList(),
                "listeners accumulate");
        assertEquals(2 * 3600, c.defaultLeaseTtlSeconds(), "the larger TTL wins, not the later");
        assertEquals(72 * 3600, c.maxLeaseTtlSeconds());
        assertEquals("error", c.logLevel(), "scalars: the later wins");
        assertEquals("http://127.0.0.1:8200", c.apiAddr(), "an absent scalar keeps the earlier value");
    }

    @Test
    void laterConfigFlagsMergeOverEarlierOnes() throws Exception {
        ServerConfig c = ConfigLoader.load(List.of(FIXTURES.resolve("minimal.hcl"),
                FIXTURES.resolve("dir-merge/10-base.hcl")), ConfigInputs.none()).config();
        assertEquals(new StorageConfig.File(Path.of("/var/lib/first")), c.storage());
        assertEquals(2, c.listeners().size());
    }

    @Test
    void environmentAndFlagsOverrideTheFile() throws Exception {
        Path base = FIXTURES.resolve("dir-merge/10-base.hcl");
        ServerConfig env = ConfigLoader.load(List.of(base), ConfigInputs.of(Map.of(
                "VAULT_REDIRECT_ADDR", "https://redirect:8200", "VAULT_LOG_LEVEL", "trace",
                "VAULT_LOG_FORMAT", "json"))).config();
        assertEquals("https://redirect:8200", env.apiAddr());
        assertEquals("trace", env.logLevel());
        assertEquals(ServerConfig.LogFormat.JSON, env.logFormat());
        ServerConfig both = ConfigLoader.load(List.of(base), new ConfigInputs(Map.of(
                "VAULT_API_ADDR", "https://api:8200", "VAULT_REDIRECT_ADDR", "https://redirect:8200",
                "VAULT_LOG_LEVEL", "trace"), "warn", "standard")).config();
        assertEquals("https://api:8200", both.apiAddr(), "VAULT_API_ADDR before VAULT_REDIRECT_ADDR");
        assertEquals("warn", both.logLevel(), "-log-level before VAULT_LOG_LEVEL");
        ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(base),
                ConfigInputs.of(Map.of("VAULT_LOG_LEVEL", "loud"))));
        assertEquals("environment VAULT_LOG_LEVEL: unknown log level: loud; use one of trace, debug, info, warn, error",
                bad.getMessage());
    }

    @Test
    void thePostgresConnectionUrlFromTheEnvironmentWins() throws Exception {
        Path f = dir.resolve("pg.hcl");
        Files.writeString(f, "listener \"tcp\" { tls_disable = true }\nstorage \"postgresql\" {}\n");
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(f),
                ConfigInputs.none()));
        assertEquals(f + ":2: missing connection_url; set connection_url in storage \"postgresql\" or "
                + "VAULT_PG_CONNECTION_URL", missing.getMessage());
        ServerConfig c = ConfigLoader.load(List.of(f), ConfigInputs.of(Map.of("VAULT_PG_CONNECTION_URL",
                "postgresql://latchkey@127.0.0.1/kv"))).config();
        assertEquals(new StorageConfig.Postgresql("jdbc:postgresql://127.0.0.1/kv", "latchkey", null,
                "latchkey_store"), c.storage());
    }

    @Test
    void postgresUrlForms() {
        assertEquals(new StorageConfig.Postgresql("jdbc:postgresql://h:5433/db?sslmode=disable", "u", "p@ss:w",
                "t"), ConfigLoader.postgres("postgres://u:p%40ss%3Aw@h:5433/db?sslmode=disable", "t"));
        assertEquals(new StorageConfig.Postgresql("jdbc:postgresql://h/db?user=u", null, null, "t"),
                ConfigLoader.postgres("jdbc:postgresql://h/db?user=u", "t"));
        assertFalse(ConfigLoader.postgres("postgres://u:secret@h/db", "t").toString().contains("secret"));
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.postgres("host=h user=u", "t"));
    }

    @Test
    void noConfigPathAndMissingPaths() {
        ConfigException none = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(),
                ConfigInputs.none()));
        assertTrue(none.getMessage().contains("Must specify at least one config path using -config"));
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                List.of(dir.resolve("nope.hcl")), ConfigInputs.none()));
        assertEquals(dir.resolve("nope.hcl") + ": no such file or directory; check the -config path",
                missing.getMessage());
    }

    @Test
    void theExampleInDocsLoads() throws Exception {
        String text = Files.readString(Path.of("../docs/server.hcl"));
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Files.writeString(tls.resolve("latchkey.pem"), "placeholder\n");
        Files.writeString(tls.resolve("latchkey-key.pem"), "placeholder\n");
        Path f = dir.resolve("server.hcl");
        Files.writeString(f, text.replace("/etc/latchkey/tls", tls.toString()));
        ConfigLoader.Loaded loaded = ConfigLoader.load(List.of(f), ConfigInputs.none());
        ServerConfig c = loaded.config();
        assertEquals(1, c.listeners().size());
        assertFalse(c.listeners().get(0).tlsDisabled());
        assertTrue(c.storage() instanceof StorageConfig.File);
        assertEquals(null, c.seal());
        assertEquals(List.of(), loaded.warnings());
    }
}
