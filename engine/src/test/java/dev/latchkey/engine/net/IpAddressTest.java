package dev.latchkey.engine.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow(() -> new AssertionError("should parse: " + text));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.5                                | 10.0.0.5
            0.0.0.0                                 | 0.0.0.0
            255.255.255.255                         | 255.255.255.255
            1.2.3.4                                 | 1.2.3.4
            ::ffff:10.0.0.5                         | 10.0.0.5
            ::FFFF:10.0.0.5                         | 10.0.0.5
            ::ffff:a00:5                            | 10.0.0.5
            0:0:0:0:0:ffff:1.2.3.4                  | 1.2.3.4
            ::ffff:0:0                              | 0.0.0.0
            ::ffff:1:2                              | 0.1.0.2
            2001:DB8:0::1                           | 2001:db8::1
            2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1
            2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1
            ::                                      | ::
            0:0:0:0:0:0:0:0                         | ::
            ::0:0                                   | ::
            ::1                                     | ::1
            0:0:0:0:0:0:0:1                         | ::1
            0000:0000::0001                         | ::1
            1::                                     | 1::
            1:0:0:0:0:0:0:0                         | 1::
            ::1.2.3.4                               | ::102:304
            64:ff9b::1.2.3.4                        | 64:ff9b::102:304
            ::1:2.3.4.5                             | ::1:203:405
            1::ffff:1.2.3.4                         | 1::ffff:102:304
            ::fffe:1:2                              | ::fffe:1:2
            1:2:3:4:5:6:1.2.3.4                     | 1:2:3:4:5:6:102:304
            1:0:0:1:0:0:0:1                         | 1:0:0:1::1
            1:0:0:1:0:0:1:1                         | 1::1:0:0:1:1
            0:0:1:0:0:1:0:0                         | ::1:0:0:1:0:0
            1:0:1:0:1:0:1:0                         | 1:0:1:0:1:0:1:0
            1:2:3:4:5:6:7:8                         | 1:2:3:4:5:6:7:8
            1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0
            ::2:3:4:5:6:7:8                         | 0:2:3:4:5:6:7:8
            1:2:3:4:5:6::                           | 1:2:3:4:5:6::
            ABCD:EF01::                             | abcd:ef01::
            fe80::1                                 | fe80::1
            FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            0fff::00f0                              | fff::f0
            """)
    void parsesAndPrintsLikeGo(String text, String printed) {
        assertEquals(printed, ip(text).toString());
    }

    @ParameterizedTest(name = "[{index}] [{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {
            " 10.0.0.1", "10.0.0.1 ", "\t10.0.0.1", "010.0.0.1", "10.0.0.01", "00.0.0.0", "1.2.3", "1.2.3.4.5",
            "256.0.0.1", "1.2.3.1000", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.-4", "+1.2.3.4", "1.2.3.4/8",
            "a.b.c.d", "0x1.0.0.0", "localhost", "example.com", "10", "4294967295",
            "fe80::1%eth0", "fe80::1%", "1.2.3.4%eth0", "%eth0", "[::1]", "::1]", "[::1", "1.2.3.4:80",
            ":::", ":1", "1:", "1::2::3", "::1::", "12345::", "00001::", "::00000", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:",
            "::ffff:010.0.0.1", "::ffff:256.0.0.1", "::ffff:1.2.3", "::ffff:1.2.3.4.5", "::1.2.3.4:5",
            "1:2:3:4:5:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6::1.2.3.4",
            "::ffff:a.b.c.d", "::g", "g::", "::1 ", "1 ::", "\u0661.\u0662.\u0663.\u0664",
            "\uff11.\uff12.\uff13.\uff14", "::\uff11", "1.2.3.4\u0000"})
    void rejectsWhatGoRejects(String text) {
        assertEquals(Optional.empty(), IpAddress.parse(text));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1        | true
            0.0.0.0         | true
            ::ffff:10.0.0.1 | true
            ::ffff:0:0      | true
            ::1.2.3.4       | false
            ::1             | false
            ::              | false
            1::ffff:1.2.3.4 | false
            ::fffe:1.2.3.4  | false
            2001:db8::1     | false
            """)
    void isIPv4FollowsTo4(String text, boolean expected) {
        assertEquals(expected, ip(text).isIPv4());
    }

    @Test
    void ipv4IsHeldAsMapped() {
        byte[] expected = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, (byte) 200};
        assertArrayEquals(expected, ip("10.0.0.200").bytes());
        assertArrayEquals(expected, ip("::ffff:10.0.0.200").bytes());
    }

    @Test
    void bytesIsACopy() {
        IpAddress address = ip("2001:db8::1");
        byte[] bytes = address.bytes();
        assertEquals(16, bytes.length);
        bytes[0] = 0;
        assertEquals("2001:db8::1", address.toString());
    }

    @Test
    void equalityIsOnTheSixteenBytes() {
        assertEquals(ip("10.0.0.5"), ip("::ffff:10.0.0.5"));
        assertEquals(ip("10.0.0.5").hashCode(), ip("::ffff:a00:5").hashCode());
        assertEquals(ip("2001:DB8::1"), ip("2001:db8:0:0:0:0:0:1"));
        assertNotEquals(ip("10.0.0.5"), ip("::a00:5"));
        assertNotEquals(ip("::1"), ip("::2"));
        assertNotEquals(ip("::1"), "::1");
    }

    @Test
    void printedFormReparsesToTheSameAddress() {
        for (String text : new String[] {"1:0:0:1:0:0:1:1", "::1.2.3.4", "::ffff:1:2", "fe80::", "1.2.3.4"}) {
            IpAddress address = ip(text);
            assertEquals(address, ip(address.toString()));
            assertTrue(IpAddress.parse(address.toString()).isPresent());
        }
    }
}
