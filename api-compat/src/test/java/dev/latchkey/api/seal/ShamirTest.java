package dev.latchkey.api.seal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shamir's secret sharing against Vault's: the field arithmetic, the share layout and the errors,
 * with fixtures made by Vault's algorithm ({@code shamir/vault-vectors.txt}).
 */
class ShamirTest {
    private static final HexFormat HEX = HexFormat.of();

    private static List<String> fixture(String kind) {
        try (InputStream in = ShamirTest.class.getResourceAsStream("/shamir/vault-vectors.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith(kind + " ")).map(l -> l.substring(kind.length() + 1)).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> shares(String hexes) {
        return Stream.of(hexes.strip().split(" ")).map(HEX::parseHex).toList();
    }

    @Test
    void multiplicationTableIsVaults() throws Exception {
        byte[] table = new byte[65536];
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                table[a * 256 + b] = (byte) Shamir.mult(a, b);
            }
        }
        String sha = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(table));
        assertEquals(fixture("MULT_TABLE_SHA256").get(0), sha);
    }

    @Test
    void inversesAreVaultsAndInvert() {
        byte[] expected = HEX.parseHex(fixture("INVERSES").get(0));
        for (int a = 1; a < 256; a++) {
            assertEquals(expected[a - 1] & 0xff, Shamir.inverse(a), "inverse of " + a);
            assertEquals(1, Shamir.mult(a, Shamir.inverse(a)), "a * a^-1 for " + a);
        }
        assertEquals(0x57 ^ 0x83, Shamir.add(0x57, 0x83));
        assertEquals(0xc1, Shamir.mult(0x57, 0x83)); // FIPS-197's worked example
        assertEquals(0, Shamir.div(0, 7));
        assertThrows(ArithmeticException.class, () -> Shamir.div(7, 0));
    }

    /** With Vault's coefficients and x coordinates, the shares are Vault's, byte for byte. */
    @Test
    void splitWithVaultsDrawsGivesVaultsShares() {
        List<String> rows = fixture("SPLIT");
        assertEquals(4, rows.size());
        for (String row : rows) {
            String[] f = row.split("\\|");
            int threshold = Integer.parseInt(f[0].strip().split(" ")[0]);
            int parts = Integer.parseInt(f[0].strip().split(" ")[1]);
            byte[] secret = HEX.parseHex(f[1].strip());
            byte[] xs = HEX.parseHex(f[2].strip());
            byte[] drawn = HEX.parseHex(f[3].strip());
            List<byte[]> expected = shares(f[4]);
            int[] next = {0};
            List<byte[]> made = Shamir.split(secret, parts, threshold, new Shamir.Draws() {
                @Override
                public byte[] coefficients(int count) {
                    byte[] c = Arrays.copyOfRange(drawn, next[0], next[0] + count);
                    next[0] += count;
                    return c;
                }

                @Override
                public int[] xCoordinates(int n) {
                    int[] out = new int[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = xs[i] & 0xff;
                    }
                    return out;
                }
            });
            assertEquals(drawn.length, next[0], "every drawn coefficient used, threshold " + threshold);
            for (int i = 0; i < parts; i++) {
                assertEquals(HEX.formatHex(expected.get(i)), HEX.formatHex(made.get(i)),
                        "share " + i + " of threshold " + threshold);
            }
        }
    }

    /** Shares Vault made from random draws recombine from every subset of at least the threshold. */
    @Test
    void vaultsSharesCombineFromEverySubsetOfTheThreshold() {
        List<String> rows = new ArrayList<>(fixture("RANDOM"));
        rows.addAll(fixture("SPLIT").stream().map(r -> {
            String[] f = r.split("\\|");
            return f[0] + "|" + f[1] + "|" + f[4];
        }).toList());
        assertEquals(8, rows.size());
        for (String row : rows) {
            String[] f = row.split("\\|");
            int threshold = Integer.parseInt(f[0].strip().split(" ")[0]);
            byte[] secret = HEX.parseHex(f[1].strip());
            List<byte[]> all = shares(f[2]);
            for (int mask = 1; mask < 1 << all.size(); mask++) {
                List<byte[]> subset = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    if ((mask & 1 << i) != 0) {
                        subset.add(all.get(i));
                    }
                }
                if (subset.size() >= threshold) {
                    assertArrayEquals(secret, Shamir.combine(subset), "subset " + mask + " of threshold " + threshold);
                } else if (subset.size() >= 2) {
                    assertNotEquals(HEX.formatHex(secret), HEX.formatHex(Shamir.combine(subset)),
                            "fewer than the threshold must not give the secret");
                }
            }
        }
    }

    /**
     * Every threshold of five shares: 2..5 split and recombine from exactly the threshold (any
     * order) and from all five; 1 of 5 is refused, as in Vault, whose one-share seals use the key
     * itself.
     */
    @ParameterizedTest(name = "{0} of 5")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void roundTripsForEveryThresholdOfFive(int threshold) {
        byte[] key = dev.latchkey.engine.random.Randomness.bytes(32);
        if (threshold == 1) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shamir.split(key, 5, 1));
            assertEquals("threshold must be at least 2", e.getMessage());
            return;
        }
        List<byte[]> shares = Shamir.split(key, 5, threshold);
        assertEquals(5, shares.size());
        Set<Integer> xs = new HashSet<>();
        for (byte[] s : shares) {
            assertEquals(33, s.length, "32 y bytes and one x byte");
            int x = s[32] & 0xff;
            assertTrue(x >= 1 && x <= 255, "x in 1..255");
            xs.add(x);
        }
        assertEquals(5, xs.size(), "distinct x coordinates");
        for (int start = 0; start < 5; start++) {
            List<byte[]> pick = new ArrayList<>();
            for (int i = 0; i < threshold; i++) {
                pick.add(shares.get((start + i * 2) % 5));
            }
            if (new HashSet<>(pick.stream().map(b -> b[32]).toList()).size() == threshold) {
                assertArrayEquals(key, Shamir.combine(pick));
            }
        }
        assertArrayEquals(key, Shamir.combine(shares));
        List<byte[]> reversed = new ArrayList<>(shares.subList(0, threshold));
        java.util.Collections.reverse(reversed);
        assertArrayEquals(key, Shamir.combine(reversed));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @CsvSource(delimiter = '|', textBlock = """
            3   | 5   | 32 | parts cannot be less than threshold
            256 | 3   | 32 | parts cannot exceed 255
            5   | 1   | 32 | threshold must be at least 2
            5   | 0   | 32 | threshold must be at least 2
            5   | 3   | 0  | cannot split an empty secret
            """)
    void splitRefusesWithVaultsTexts(int parts, int threshold, int secretLength, String error) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shamir.split(new byte[secretLength], parts, threshold));
        assertEquals(error, e.getMessage());
    }

    @Test
    void combineRefusesWithVaultsTexts() {
        List<byte[]> shares = Shamir.split(new byte[] {1, 2, 3}, 3, 2);
        assertEquals("less than two parts cannot be used to reconstruct the secret",
                assertThrows(IllegalArgumentException.class, () -> Shamir.combine(List.of(shares.get(0)))).getMessage());
        assertEquals("less than two parts cannot be used to reconstruct the secret",
                assertThrows(IllegalArgumentException.class, () -> Shamir.combine(List.of())).getMessage());
        assertEquals("parts must be at least two bytes",
                assertThrows(IllegalArgumentException.class,
                        () -> Shamir.combine(List.of(new byte[] {1}, new byte[] {2}))).getMessage());
        assertEquals("all parts must be the same length",
                assertThrows(IllegalArgumentException.class,
                        () -> Shamir.combine(List.of(shares.get(0), Arrays.copyOf(shares.get(1), 5)))).getMessage());
        assertEquals("duplicate part detected",
                assertThrows(IllegalArgumentException.class,
                        () -> Shamir.combine(List.of(shares.get(0), shares.get(0).clone()))).getMessage());
        byte[] sameX = shares.get(1).clone();
        sameX[3] = shares.get(0)[3];
        assertEquals("duplicate part detected",
                assertThrows(IllegalArgumentException.class, () -> Shamir.combine(List.of(shares.get(0), sameX)))
                        .getMessage());
    }
}
