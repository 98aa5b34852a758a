package dev.latchkey.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    @ParameterizedTest(name = "[{index}] {0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8          | 10.1.2.3                                | true
            10.0.0.0/8          | ::ffff:10.1.2.3                         | true
            10.0.0.0/8          | 10.255.255.255                          | true
            10.0.0.0/8          | 11.0.0.0                                | false
            10.0.0.0/8          | 9.255.255.255                           | false
            10.0.0.0/8          | ::a01:203                               | false
            10.0.0.5/8          | 10.9.9.9                                | true
            10.0.0.5/32         | 10.0.0.5                                | true
            10.0.0.5/32         | 10.0.0.6                                | false
            192.168.1.0/25      | 192.168.1.127                           | true
            192.168.1.0/25      | 192.168.1.128                           | false
            1.2.3.4/008         | 1.9.9.9                                 | true
            0.0.0.0/0           | 1.2.3.4                                 | true
            0.0.0.0/0           | 255.255.255.255                         | true
            0.0.0.0/0           | ::ffff:1.2.3.4                          | true
            0.0.0.0/0           | ::1                                     | false
            0.0.0.0/0           | ::                                      | false
            0.0.0.0/0           | 2001:db8::1                             | false
            10.0.0.0/0          | 99.1.1.1                                | true
            0.0.0.0/32          | 0.0.0.0                                 | true
            ::ffff:0:0/96       | 1.2.3.4                                 | true
            ::ffff:0:0/96       | 255.255.255.255                         | true
            ::ffff:0:0/96       | 0.0.0.0                                 | true
            ::ffff:0:0/96       | ::ffff:1:2                              | true
            ::ffff:0:0/96       | ::1                                     | false
            ::ffff:0:0/96       | ::fffe:0:1                              | false
            ::ffff:10.0.0.0/104 | 10.255.1.1                              | true
            ::ffff:10.0.0.0/104 | 11.0.0.1                                | false
            ::ffff:10.0.0.0/80  | 10.0.0.1                                | false
            ::ffff:10.0.0.0/80  | ::1                                     | true
            ::ffff:10.0.0.0/90  | ::ffc0:0:1                              | true
            ::ffff:10.0.0.0/90  | ::ffff:1.2.3.4                          | false
            ::ffff:1.2.3.4/33   | 1.2.3.4                                 | false
            ::ffff:1.2.3.4/33   | ::5                                     | true
            ::/0                | 10.0.0.1                                | false
            ::/0                | ::ffff:10.0.0.1                         | false
            ::/0                | ::1                                     | true
            ::/0                | 2001:db8::1                             | true
            ::/0                | ::1.2.3.4                               | true
            ::/128              | ::                                      | true
            ::/128              | ::1                                     | false
            ::/128              | 0.0.0.0                                 | false
            2001:db8::/32       | 2001:db8::1                             | true
            2001:db8::/32       | 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff  | true
            2001:db8::/32       | 2001:db9::1                             | false
            2001:DB8::/32       | 2001:db8::1                             | true
            fe80::/10           | fe80::1                                 | true
            fe80::/10           | febf::1                                 | true
            fe80::/10           | fec0::1                                 | false
            2001:db8::1/128     | 2001:db8::1                             | true
            2001:db8::1/128     | 2001:db8::2                             | false
            """)
    void containsFollowsGo(String cidr, String address, boolean expected) {
        assertEquals(expected, Cidr.parse(cidr).contains(ip(address)));
    }

    @ParameterizedTest(name = "[{index}] [{0}]")
    @EmptySource
    @ValueSource(strings = {
            "10.0.0.0", "10.0.0.0/", "/8", "10.0.0.0/33", "1.2.3.4/33", "::/129", "::ffff:0:0/129",
            "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0 /8", "10.0.0.0/ 8",
            "10.0.0.0/8/8", "10.0.0.0//8", "010.0.0.0/8", "10.0.0/8", "fe80::%eth0/64", "fe80::1%eth0/64",
            "host/8", "example.com/24", "10.0.0.0/0x8", "10.0.0.0/8a", "10.0.0.0/8.0", "10.0.0.0/16777215",
            "10.0.0.0/99999999999", "[::1]/128", "10.0.0.0/\u0668", "10.0.0.0\\8", "10.0.0.0,8"})
    void rejectsWithGosMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertEquals("invalid CIDR address: " + text, e.getMessage());
    }

    @Test
    void rejectsNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(null));
        assertEquals("invalid CIDR address: null", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/32", "10.0.0.0/0", "10.0.0.0/08", "10.0.0.0/0000000032", "::/128",
            "::/0", "::ffff:0:0/128", "2001:DB8::/032"})
    void acceptsPrefixEdges(String text) {
        assertEquals(text, Cidr.parse(text).toString());
    }

    @Test
    void toStringIsTheTextAsGiven() {
        assertEquals("10.0.0.5/8", Cidr.parse("10.0.0.5/8").toString());
        assertEquals("2001:DB8:0::/32", Cidr.parse("2001:DB8:0::/32").toString());
    }
}
