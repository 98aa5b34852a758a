package dev.latchkey.api.hostsync;

import dev.latchkey.api.hostsync.TinyServer.Answer;
import dev.latchkey.engine.ssh.krl.KrlEncoder;
import dev.latchkey.testing.FreePorts;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What host-sync keeps and replaces, with real files, against a real HTTP server on loopback that
 * misbehaves on purpose: a download that is not a valid document, a 500, a stall, an endless body
 * or no server at all never replaces a host's file nor leaves a temporary file behind, and the
 * other file is still brought up to date; a valid download replaces the file whole, and the next
 * run asks with its ETag.
 */
@Timeout(120)
class HostSyncValidationTest {
    private static final String CA = Document.CA_KEYS.fileName();
    private static final String KRL = Document.KRL.fileName();
    private static final String CA_PATH = "/v1/ssh/issuers/public_keys";
    private static final String KRL_PATH = "/v1/ssh/krl";
    private static final Set<String> ALL_FILES = Set.of(CA, "." + CA + ".etag", KRL, "." + KRL + ".etag");
    /** In every bad body: it must never reach the output. */
    private static final String MARKER = "body-must-not-be-printed";

    private static final SshKeygen.KeyPair KEY_A = SshKeygen.generate(TestFiles.fresh("keys"), "ca-a", "ed25519", 0);
    private static final SshKeygen.KeyPair KEY_B = SshKeygen.generate(TestFiles.fresh("keys"), "ca-b", "ed25519", 0);
    private static final byte[] OLD_KEYS = (KEY_A.line() + " ca-a\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW_KEYS = ("# the default first\n" + KEY_B.line() + " ca-b\n" + KEY_A.line() + " ca-a\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] OLD_KRL = krl(1, new long[0]);
    private static final byte[] NEW_KRL = krl(2, new long[] {5, 7, 8, 9});

    @TempDir
    Path dir;

    private TinyServer server;

    private static byte[] krl(long version, long[] serials) {
        byte[] caKey = Base64.getDecoder().decode(KEY_A.base64());
        return KrlEncoder.encode(new KrlEncoder.Krl(version, 1_700_000_000L, "", serials.length == 0 ? List.of()
                : List.of(new KrlEncoder.CaRevocations(caKey, serials, List.of())), List.of(), List.of()));
    }

    @BeforeEach
    void start() {
        server = new TinyServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SyncRun sync(String... extra) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString()));
        args.addAll(List.of(extra));
        return SyncRun.of(Map.of("VAULT_ADDR", server.addr()), args);
    }

    /** The host as a previous run left it: both files and their ETags. */
    private void previousRun() {
        write(CA, OLD_KEYS);
        write("." + CA + ".etag", "\"old-ca\"\n".getBytes(StandardCharsets.US_ASCII));
        write(KRL, OLD_KRL);
        write("." + KRL + ".etag", "\"old-krl\"\n".getBytes(StandardCharsets.US_ASCII));
    }

    private void write(String name, byte[] content) {
        try {
            Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] read(String name) {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String text(String name) {
        return new String(read(name), StandardCharsets.UTF_8);
    }

    private Set<String> files() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> badDownloads() {
        byte[] truncatedKrl = Arrays.copyOf(NEW_KRL, NEW_KRL.length - 3);
        return Stream.of(
                row(CA, "a line that is no key", Answer.ok("not a key " + MARKER + "\n", "\"x\""), "30s",
                        "line 1 of the server's keys document is not an SSH public key ("),
                row(CA, "a bad key after a good one", Answer.ok(KEY_A.line() + "\nssh-ed25519 " + MARKER + "\n", "\"x\""),
                        "30s", "line 2 of the server's keys document is not an SSH public key ("),
                row(CA, "a private key", Answer.ok(KEY_A.privateKeyText(), "\"x\""), "30s",
                        "line 1 of the server's keys document is not an SSH public key ("),
                row(CA, "comments only", Answer.ok("# " + MARKER + "\n\n", "\"x\""), "30s",
                        "the server's keys document lists no CA key"),
                row(CA, "an empty body", Answer.ok("", "\"x\""), "30s", "the server's keys document lists no CA key"),
                row(CA, "bytes that are not UTF-8", Answer.ok(new byte[] {'s', (byte) 0xff, (byte) 0xfe, '\n'}, "\"x\""),
                        "30s", "the server's keys document is not UTF-8 text"),
                row(CA, "a 500", Answer.status(500, MARKER), "30s", "%s" + CA_PATH + " answered 500"),
                row(CA, "a 404", Answer.status(404, MARKER), "30s", "%s" + CA_PATH + " answered 404"),
                row(CA, "a redirect", Answer.status(307, MARKER), "30s", "%s" + CA_PATH + " answered 307"),
                row(CA, "a stall", Answer.stalled(Duration.ofSeconds(60)), "1s",
                        "no complete answer from %s" + CA_PATH + " within 1s"),
                row(CA, "an endless body", Answer.endlessBody(), "60s", "the answer is larger than 64 MiB"),
                row(KRL, "text", Answer.ok(MARKER, "\"x\""), "30s",
                        "the server's list is not a valid KRL (invalid magic number)"),
                row(KRL, "a truncated KRL", Answer.ok(truncatedKrl, "\"x\""), "30s", "the server's list is not a valid KRL ("),
                row(KRL, "an empty body", Answer.ok(new byte[0], "\"x\""), "30s", "the server's list is empty"),
                row(KRL, "a 500", Answer.status(500, MARKER), "30s", "%s" + KRL_PATH + " answered 500"),
                row(KRL, "a stall", Answer.stalled(Duration.ofSeconds(60)), "500ms",
                        "no complete answer from %s" + KRL_PATH + " within 0.5s"),
                row(KRL, "an endless body", Answer.endlessBody(), "60s", "the answer is larger than 64 MiB"));
    }

    private static Arguments row(String file, String what, Answer answer, String timeout, String reason) {
        return Arguments.of(file, Named.of(what, answer), timeout, reason);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("badDownloads")
    void aBadDownloadKeepsTheFileAndTheOtherIsStillUpdated(String file, Answer bad, String timeout, String reason) {
        previousRun();
        boolean ca = file.equals(CA);
        String other = ca ? KRL : CA;
        byte[] old = ca ? OLD_KEYS : OLD_KRL;
        byte[] otherNew = ca ? NEW_KRL : NEW_KEYS;
        server.answer(ca ? CA_PATH : KRL_PATH, bad);
        server.answer(ca ? KRL_PATH : CA_PATH, Answer.ok(otherNew, "\"new\""));

        SyncRun r = sync("--timeout", timeout);

        assertEquals(1, r.exit(), r.describe());
        assertThat(r.describe(), r.err(), containsString(file + ": kept the current file: "
                + reason.replace("%s", server.addr())));
        assertThat(r.describe(), r.err().lines().count(), is(1L));
        assertArrayEquals(old, read(file), "the host's file is as it was");
        assertEquals("\"old-" + (ca ? "ca" : "krl") + "\"\n", text("." + file + ".etag"));
        assertEquals(List.of("\"old-" + (ca ? "ca" : "krl") + "\""), server.conditions(ca ? CA_PATH : KRL_PATH),
                "asked with the file's ETag");
        assertThat(r.describe(), r.out(), containsString(other + ": updated ("));
        assertArrayEquals(otherNew, read(other), "the other file was still brought up to date");
        assertThat(r.out() + r.err(), not(containsString(MARKER)));
        assertEquals(ALL_FILES, files(), "no temporary file is left");
    }

    @Test
    void aRefusedConnectionKeepsBothFiles() {
        previousRun();
        String nobody = "http://127.0.0.1:" + FreePorts.next();
        SyncRun r = SyncRun.of(Map.of(), List.of("--addr", nobody, "--dir", dir.toString()));
        assertEquals(1, r.exit(), r.describe());
        assertEquals(CA + ": kept the current file: could not connect to " + nobody + CA_PATH + ": connection refused\n"
                + KRL + ": kept the current file: could not connect to " + nobody + KRL_PATH + ": connection refused\n",
                r.err());
        assertThat(r.out(), is(emptyString()));
        assertArrayEquals(OLD_KEYS, read(CA));
        assertArrayEquals(OLD_KRL, read(KRL));
        assertEquals(ALL_FILES, files());
    }

    @Test
    void validDownloadsReplaceBothFilesWholeAndTheNextRunAsksWithTheirEtags() throws IOException {
        previousRun();
        server.answer(CA_PATH, Answer.ok(NEW_KEYS, "\"ca-2\""));
        server.answer(KRL_PATH, Answer.ok(NEW_KRL, "W/\"krl-2\""));

        SyncRun first = sync();
        assertEquals(0, first.exit(), first.describe());
        assertEquals(CA + ": updated (2 keys)\n" + KRL + ": updated (KRL version 2)\n", first.out());
        assertThat(first.err(), is(emptyString()));
        assertArrayEquals(NEW_KEYS, read(CA));
        assertArrayEquals(NEW_KRL, read(KRL));
        assertEquals("\"ca-2\"\n", text("." + CA + ".etag"));
        assertEquals("W/\"krl-2\"\n", text("." + KRL + ".etag"));
        for (String f : ALL_FILES) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        assertEquals(ALL_FILES, files());
        SshKeygen.run("-Q", "-l", "-f", dir.resolve(KRL).toString()).ok();
        assertEquals(2, SshKeygen.run("-l", "-f", dir.resolve(CA).toString()).ok().stdout().lines().count());

        Object inode = Files.readAttributes(dir.resolve(KRL), "unix:ino").get("ino");
        SyncRun second = sync();
        assertEquals(0, second.exit(), second.describe());
        assertEquals(CA + ": unchanged\n" + KRL + ": unchanged\n", second.out());
        assertEquals(List.of("\"old-ca\"", "\"ca-2\""), server.conditions(CA_PATH));
        assertEquals(List.of("\"old-krl\"", "W/\"krl-2\""), server.conditions(KRL_PATH));
        assertEquals(inode, Files.readAttributes(dir.resolve(KRL), "unix:ino").get("ino"), "a 304 leaves the file alone");
    }

    @Test
    void aMissingDirectoryIsCreatedAndAMissingFileIsFetchedWithoutItsOldEtag() throws IOException {
        Path nested = dir.resolve("etc/ssh/latchkey");
        server.answer(CA_PATH, Answer.ok(OLD_KEYS, "\"ca-1\""));
        server.answer(KRL_PATH, Answer.ok(OLD_KRL, "\"krl-1\""));
        SyncRun first = SyncRun.of(Map.of("VAULT_ADDR", server.addr()), List.of("--dir", nested.toString()));
        assertEquals(0, first.exit(), first.describe());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));

        // an ETag without its file: a 304 to it would leave the host without the file
        Files.delete(nested.resolve(KRL));
        SyncRun second = SyncRun.of(Map.of("VAULT_ADDR", server.addr()), List.of("--dir", nested.toString()));
        assertEquals(0, second.exit(), second.describe());
        assertEquals(CA + ": unchanged\n" + KRL + ": updated (KRL version 1)\n", second.out());
        assertEquals(List.of("", ""), server.conditions(KRL_PATH));
        assertArrayEquals(OLD_KRL, Files.readAllBytes(nested.resolve(KRL)));
    }

    @Test
    void anAnswerWithoutAnEtagDropsTheSavedOne() {
        previousRun();
        server.answer(CA_PATH, Answer.ok(NEW_KEYS, null));
        server.answer(KRL_PATH, Answer.ok(NEW_KRL, "not quoted"));
        SyncRun r = sync();
        assertEquals(0, r.exit(), r.describe());
        assertEquals(Set.of(CA, KRL), files(), "a stale ETag would earn a 304 for the old document");
        SyncRun again = sync();
        assertEquals(0, again.exit(), again.describe());
        assertEquals(List.of("\"old-ca\"", ""), server.conditions(CA_PATH));
    }

    @Test
    void aFileThatCannotBeReplacedLeavesNoTemporaryFile() {
        previousRun();
        try {
            Files.delete(dir.resolve(KRL));
            Files.createDirectories(dir.resolve(KRL).resolve("in-the-way"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.answer(CA_PATH, Answer.ok(NEW_KEYS, "\"ca-2\""));
        server.answer(KRL_PATH, Answer.ok(NEW_KRL, "\"krl-2\""));
        SyncRun r = sync();
        assertEquals(1, r.exit(), r.describe());
        assertThat(r.err(), containsString(KRL + ": not written: could not write " + dir.resolve(KRL) + ": "));
        assertThat(r.out(), is(CA + ": updated (2 keys)\n"));
        assertEquals(Set.of(CA, "." + CA + ".etag", KRL), files(), "no temporary file, and no ETag for a file not written");
        assertFalse(Files.isRegularFile(dir.resolve(KRL)));
    }
}
