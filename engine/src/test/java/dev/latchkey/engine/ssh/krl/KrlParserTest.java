package dev.latchkey.engine.ssh.krl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checking reader: what the encoder writes reads back whole, and what OpenSSH refuses is refused. */
class KrlParserTest {
    private static final byte[] CA = HexFormat.of().parseHex("0000000b7373682d65643235353139"
            + "00000020000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void whatTheEncoderWritesReadsBackToTheSameSerials() throws Exception {
        Random random = new Random(42);
        long[] serials = new long[3000];
        for (int i = 0; i < serials.length; i++) {
            serials[i] = i < 2000 ? 1 + i * 3L : (random.nextLong() | 1);
        }
        byte[] krl = KrlEncoder.encode(new KrlEncoder.Krl(9, 123, "c", List.of(new KrlEncoder.CaRevocations(CA, serials,
                List.of("alice"))), List.of(CA), List.of(new byte[32])));
        KrlParser.Parsed p = KrlParser.parse(krl);
        assertEquals(9, p.version());
        assertEquals("c", p.comment());
        KrlParser.Ca ca = p.cas().get(0);
        for (long s : serials) {
            assertTrue(ca.revokes(s), Long.toUnsignedString(s));
        }
        assertEquals(false, ca.revokes(2));
        assertEquals(List.of("alice"), ca.keyIds());
        assertEquals(1, p.explicitKeys().size());
        assertEquals(1, p.sha256s().size());
    }

    /** The worked example with one field changed, each change one OpenSSH refuses. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong magic              | 5353484b524c0a01
            format version 2         | 5353484b524c0a0000000002
            signature section        | 5353484b524c0a00000000010000000000000001000000006774858000000000000000000000000000000000040000000000000000
            extension section        | 5353484b524c0a0000000001000000000000000100000000677485800000000000000000000000000000000000ff00000000
            bytes after a field      | 5353484b524c0a00000000010000000000000001000000006774858000000000000000000000000000000000050000000500000001aa
            """)
    void whatOpenSshRefusesIsRefused(String name, String hex) {
        String even = hex.length() % 2 == 0 ? hex : hex + "0";
        assertThrows(KrlParser.InvalidKrlException.class, () -> KrlParser.parse(HexFormat.of().parseHex(even)), name);
    }

    /** A list holding serial 0, which the encoder refuses to write: made by patching a valid one. */
    @Test
    void serialZeroIsRefused() throws Exception {
        byte[] krl = KrlEncoder.encode(new KrlEncoder.Krl(1, 0, "", List.of(new KrlEncoder.CaRevocations(CA,
                new long[] {5}, List.of())), List.of(), List.of()));
        assertEquals(5, krl[krl.length - 1]);
        KrlParser.parse(krl); // valid as written
        krl[krl.length - 1] = 0;
        KrlParser.InvalidKrlException e = assertThrows(KrlParser.InvalidKrlException.class, () -> KrlParser.parse(krl));
        assertEquals("serial 0", e.getMessage());
    }

    @Test
    void aBitmapWiderThanOpenSshReadsIsRefused() {
        byte[] bitmap = new byte[2050];
        bitmap[1] = 1;
        java.io.ByteArrayOutputStream sub = new java.io.ByteArrayOutputStream();
        sub.writeBytes(HexFormat.of().parseHex("0000000000000001"));
        sub.writeBytes(new byte[] {0, 0, (byte) (bitmap.length >> 8), (byte) bitmap.length});
        sub.writeBytes(bitmap);
        byte[] subBytes = sub.toByteArray();
        java.io.ByteArrayOutputStream section = new java.io.ByteArrayOutputStream();
        section.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}); // empty CA (wildcard) and reserved
        section.write(0x22);
        section.writeBytes(new byte[] {0, 0, (byte) (subBytes.length >> 8), (byte) subBytes.length});
        section.writeBytes(subBytes);
        byte[] sectionBytes = section.toByteArray();
        java.io.ByteArrayOutputStream krl = new java.io.ByteArrayOutputStream();
        krl.writeBytes(HexFormat.of().parseHex("5353484b524c0a00000000010000000000000001000000006774858000000000000000000000000000000000"));
        krl.write(0x01);
        krl.writeBytes(new byte[] {0, 0, (byte) (sectionBytes.length >> 8), (byte) sectionBytes.length});
        krl.writeBytes(sectionBytes);
        assertThrows(KrlParser.InvalidKrlException.class, () -> KrlParser.parse(krl.toByteArray()));
    }
}
