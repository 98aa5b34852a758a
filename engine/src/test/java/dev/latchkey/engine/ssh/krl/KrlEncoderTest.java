package dev.latchkey.engine.ssh.krl;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KRL encoder against {@code ssh-keygen} as the oracle: for each set of revoked serials,
 * {@code ssh-keygen -Q} answers for certificates with serials inside, at the edges and outside the
 * set exactly as it answers with a KRL that {@code ssh-keygen -k} built from the same list (or,
 * where ssh-keygen's own KRL cannot be read back, as the set says). And the worked example of the
 * format's reference, byte for byte.
 */
class KrlEncoderTest {
    @TempDir
    static Path dir;
    private static SshKeygen.KeyPair ca;
    private static SshKeygen.KeyPair user;
    private static byte[] caBlob;

    @BeforeAll
    static void keys() {
        ca = SshKeygen.generate(dir, "ca", "ed25519", 0);
        user = SshKeygen.generate(dir, "user", "ed25519", 0);
        caBlob = Base64.getDecoder().decode(ca.base64());
    }

    /** The format reference's example: serials 5 and 7–9 of one Ed25519 CA, 126 bytes. */
    @Test
    void theWorkedExampleByteForByte() {
        byte[] exampleCa = Base64.getDecoder().decode("AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f");
        byte[] krl = KrlEncoder.encode(new KrlEncoder.Krl(1, 1_735_689_600L, "",
                List.of(new KrlEncoder.CaRevocations(exampleCa, new long[] {9, 5, 7, 8}, List.of())), List.of(), List.of()));
        String expected = "5353484b524c0a00" + "00000001" + "0000000000000001" + "0000000067748580" + "0000000000000000"
                + "00000000" + "00000000" + "01" + "0000004d" + "00000033" + "0000000b" + "7373682d6564323535313" + "9"
                + "00000020" + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" + "00000000"
                + "22" + "0000000d" + "0000000000000005" + "00000001" + "1d";
        assertEquals(126, krl.length);
        assertArrayEquals(HexFormat.of().parseHex(expected), krl);
    }

    @Test
    void serialZeroIsNeverWritten() {
        assertThrows(IllegalArgumentException.class, () -> KrlEncoder.encode(new KrlEncoder.Krl(1, 0, "",
                List.of(new KrlEncoder.CaRevocations(caBlob, new long[] {0, 1}, List.of())), List.of(), List.of())));
    }

    /** A certificate for {@code user}'s key with this serial (unsigned decimal) and key ID. */
    private static Path certificate(String serial, String keyId) {
        Path pub = dir.resolve("user-" + serial + "-" + keyId + ".pub");
        try {
            Files.copy(user.publicKeyFile(), pub, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        SshKeygen.run("-q", "-s", ca.privateKeyFile().toString(), "-I", keyId, "-z", serial, "-n", "alice",
                pub.toString()).ok();
        return dir.resolve("user-" + serial + "-" + keyId + "-cert.pub");
    }

    /** Whether {@code ssh-keygen -Q} says the file revokes the certificate. */
    private static boolean revoked(Path krl, Path cert) {
        Commands.Result r = SshKeygen.run("-Q", "-f", krl.toString(), cert.toString());
        if (r.exitCode() != 0 && r.exitCode() != 1) {
            throw new AssertionError("ssh-keygen could not read the KRL: " + r.describe());
        }
        return r.exitCode() == 1;
    }

    private static Path ours(String name, long[] serials, List<String> ids) throws Exception {
        Path file = dir.resolve(name + ".krl");
        Files.write(file, KrlEncoder.encode(new KrlEncoder.Krl(7, 1_700_000_000L, "",
                List.of(new KrlEncoder.CaRevocations(caBlob, serials, ids)), List.of(), List.of())));
        return file;
    }

    /** ssh-keygen's own KRL of the same serials, from a specification of ranges and single serials. */
    private static Path reference(String name, long[] serials) throws Exception {
        StringBuilder spec = new StringBuilder();
        for (KrlEncoder.Range r : KrlEncoder.ranges(serials)) {
            spec.append("serial: ").append(Long.toUnsignedString(r.first()));
            if (r.first() != r.last()) {
                spec.append('-').append(Long.toUnsignedString(r.last()));
            }
            spec.append('\n');
        }
        Path specFile = dir.resolve(name + ".spec");
        Files.writeString(specFile, spec.toString());
        Path file = dir.resolve(name + "-ref.krl");
        SshKeygen.run("-q", "-k", "-f", file.toString(), "-s", ca.publicKeyFile().toString(), specFile.toString()).ok();
        return file;
    }

    /** The serials to probe: each range's ends and their neighbours, 1 and 2^64−1, and random ones. */
    private static List<Long> probes(long[] serials, Random random) {
        Set<Long> out = new LinkedHashSet<>(List.of(1L, 2L, -1L, -2L, Long.MIN_VALUE, Long.MAX_VALUE));
        for (KrlEncoder.Range r : KrlEncoder.ranges(serials)) {
            for (long s : new long[] {r.first() - 1, r.first(), r.first() + 1, r.last() - 1, r.last(), r.last() + 1}) {
                if (s != 0) {
                    out.add(s);
                }
            }
        }
        for (int i = 0; i < 6; i++) {
            out.add(random.nextLong() | 1);
        }
        return new ArrayList<>(out);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            one serial               | 5
            the edges                | 1 2 9223372036854775808 18446744073709551615
            a worked set             | 5 7 8 9
            runs and gaps            | 10-20 100000-200000 300000
            odd serials to 99        | odd:1-99
            a long run               | 1-1000000
            random 64-bit serials    | random:40
            sparse and dense         | 3 5 7 9 11 500-520 4096 70000-70100 random:10
            """)
    void ssh_keygenReadsOurListAsItReadsItsOwn(String name, String set) throws Exception {
        Random random = new Random(name.hashCode());
        long[] serials = parse(set, random);
        Path ours = ours("ours-" + name.replace(' ', '-'), serials, List.of());
        Path reference = reference("ref-" + name.replace(' ', '-'), serials);
        for (long probe : probes(serials, random)) {
            Path cert = certificate(Long.toUnsignedString(probe), "probe");
            assertEquals(revoked(reference, cert), revoked(ours, cert),
                    "serial " + Long.toUnsignedString(probe) + " in " + name);
        }
    }

    /**
     * Every odd serial from 1 to 40,001: a bitmap would need 40,001 bits, and ssh-keygen writes
     * one it cannot read back. Ours stays within 16,384 bits per bitmap, and is read.
     */
    @Test
    void aDenseSetWiderThanOneBitmapIsSplitAndStillRead() throws Exception {
        long[] serials = parse("odd:1-40001", new Random(1));
        Path ours = ours("dense", serials, List.of());
        for (long probe : new long[] {1, 2, 16_383, 16_384, 16_385, 32_769, 39_999, 40_000, 40_001, 40_003}) {
            boolean member = probe % 2 == 1 && probe <= 40_001;
            assertEquals(member, revoked(ours, certificate(Long.toString(probe), "dense")), "serial " + probe);
        }
    }

    @Test
    void keyIdsExplicitKeysAndFingerprintsRevokeAsSshKeygenSays() throws Exception {
        Path byId = ours("ids", new long[0], List.of("alice@example", "bob"));
        assertTrue(revoked(byId, certificate("77", "bob")));
        assertEquals(false, revoked(byId, certificate("78", "Bob")), "key IDs compare exactly");

        byte[] userBlob = Base64.getDecoder().decode(user.base64());
        Path byKey = dir.resolve("key.krl");
        Files.write(byKey, KrlEncoder.encode(new KrlEncoder.Krl(1, 0, "by key", List.of(), List.of(userBlob), List.of())));
        assertTrue(revoked(byKey, user.publicKeyFile()));
        assertTrue(revoked(byKey, certificate("79", "any")), "a revoked key is revoked inside a certificate too");

        Path byHash = dir.resolve("hash.krl");
        Files.write(byHash, KrlEncoder.encode(new KrlEncoder.Krl(1, 0, "", List.of(), List.of(),
                List.of(MessageDigest.getInstance("SHA-256").digest(userBlob)))));
        assertTrue(revoked(byHash, user.publicKeyFile()));
        SshKeygen.KeyPair other = SshKeygen.generate(dir, "other", "ed25519", 0);
        assertEquals(false, revoked(byHash, other.publicKeyFile()));
    }

    /** {@code 5 7-9 odd:1-99 random:N}: serials, ranges, every odd serial in a range, N random serials. */
    private static long[] parse(String set, Random random) {
        List<Long> out = new ArrayList<>();
        for (String part : set.strip().split("\\s+")) {
            if (part.startsWith("random:")) {
                for (int i = Integer.parseInt(part.substring(7)); i > 0; i--) {
                    long s = random.nextLong();
                    out.add(s == 0 ? 1 : s);
                }
            } else if (part.startsWith("odd:")) {
                String[] ends = part.substring(4).split("-");
                for (long s = Long.parseLong(ends[0]); s <= Long.parseLong(ends[1]); s += 2) {
                    out.add(s);
                }
            } else if (part.contains("-")) {
                String[] ends = part.split("-");
                for (long s = Long.parseUnsignedLong(ends[0]); ; s++) {
                    out.add(s);
                    if (s == Long.parseUnsignedLong(ends[1])) {
                        break;
                    }
                }
            } else {
                out.add(Long.parseUnsignedLong(part));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
