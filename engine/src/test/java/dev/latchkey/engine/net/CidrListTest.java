package dev.latchkey.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CidrListTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    static Stream<Arguments> itemCases() {
        return Stream.of(
                Arguments.of(null, List.of()),
                Arguments.of("", List.of()),
                Arguments.of(" , ,", List.of()),
                Arguments.of(",", List.of()),
                Arguments.of("a, b ,c", List.of("a", "b", "c")),
                Arguments.of(" 10.0.0.0/8 ", List.of("10.0.0.0/8")),
                Arguments.of("\t10.0.0.0/8\n,x", List.of("10.0.0.0/8", "x")),
                Arguments.of("a,,b,", List.of("a", "b")),
                Arguments.of("a b, c", List.of("a b", "c")));
    }

    @ParameterizedTest
    @MethodSource("itemCases")
    void itemsAreSplitStrippedAndNonEmpty(String raw, List<String> expected) {
        assertEquals(expected, CidrList.items(raw));
    }

    @Test
    void parseAllParsesEveryTrimmedItem() {
        List<Cidr> cidrs = CidrList.parseAll("10.0.0.0/8, 192.168.0.0/16 ,::/0", "failed to validate cidr_list: ");
        assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16", "::/0"), cidrs.stream().map(Cidr::toString).toList());
        assertEquals(List.of(), CidrList.parseAll(null, "x"));
        assertEquals(List.of(), CidrList.parseAll(" , ", "x"));
    }

    @Test
    void parseAllReportsTheFirstBadItem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CidrList.parseAll("10.0.0.0/8, bogus , also-bad", "failed to validate cidr_list: "));
        assertEquals("failed to validate cidr_list: invalid CIDR address: bogus", e.getMessage());
        IllegalArgumentException noPrefix = assertThrows(IllegalArgumentException.class,
                () -> CidrList.parseAll("10.0.0.0/33", ""));
        assertEquals("invalid CIDR address: 10.0.0.0/33", noPrefix.getMessage());
    }

    @ParameterizedTest(name = "[{index}] [{0}] contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8, 192.168.0.0/16   | 192.168.1.1 | true
            10.0.0.0/8, 192.168.0.0/16   | 10.0.0.1    | true
            10.0.0.0/8, 192.168.0.0/16   | 172.16.0.1  | false
            10.0.0.0/8,bogus             | 10.1.1.1    | true
            ::/0                         | 10.0.0.1    | false
            ::/0, 0.0.0.0/0              | 10.0.0.1    | true
            ::ffff:0:0/96                | 10.0.0.1    | true
            2001:db8::/32                | 2001:db8::5 | true
            ' , '                        | 10.0.0.1    | false
            ''                           | 10.0.0.1    | false
            """)
    void anyContainsTriesItemsInOrder(String raw, String address, boolean expected) {
        assertEquals(expected, CidrList.anyContains(raw, ip(address)));
        assertEquals(expected, CidrList.anyContainsLenient(raw, ip(address)));
    }

    @Test
    void anyContainsOnNullIsFalse() {
        assertFalse(CidrList.anyContains(null, ip("10.0.0.1")));
        assertFalse(CidrList.anyContainsLenient(null, ip("10.0.0.1")));
    }

    @ParameterizedTest(name = "[{index}] [{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            bogus,10.0.0.0/8          | bogus
            10.0.0.0/8, bogus         | bogus
            10.0.0.0/8, 10.0.0.0/33   | 10.0.0.0/33
            ' 10.0.0.1 , 10.0.0.0/8'  | 10.0.0.1
            """)
    void anyContainsFailsOnABadItemBeforeAMatch(String raw, String badItem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CidrList.anyContains(raw, ip("11.0.0.1")));
        assertEquals("invalid CIDR entry \"" + badItem + "\"", e.getMessage());
    }

    @Test
    void lenientSkipsBadItems() {
        assertTrue(CidrList.anyContainsLenient("bogus, 10.0.0.0/8", ip("10.1.1.1")));
        assertFalse(CidrList.anyContainsLenient("bogus, 10.0.0.0/33", ip("10.1.1.1")));
    }

    @Test
    void cachedListsBehaveLikeFreshOnes() {
        String bad = "bogus, 10.0.0.0/8";
        for (int round = 0; round < 3; round++) {
            assertThrows(IllegalArgumentException.class, () -> CidrList.anyContains(bad, ip("10.1.1.1")));
            assertTrue(CidrList.anyContainsLenient(bad, ip("10.1.1.1")));
        }
        // More distinct lists than the cache holds: every answer stays right.
        for (int i = 0; i < 1000; i++) {
            String raw = "10." + (i % 256) + ".0.0/16, 172.16." + (i / 256) + ".0/24";
            assertTrue(CidrList.anyContains(raw, ip("10." + (i % 256) + ".9.9")));
            assertFalse(CidrList.anyContains(raw, ip("10." + ((i + 1) % 256) + ".9.9")));
            assertEquals(2, CidrList.parseAll(raw, "").size());
        }
    }

    @Test
    void resultsAreUnmodifiable() {
        assertThrows(UnsupportedOperationException.class, () -> CidrList.items("a,b").add("c"));
        assertThrows(UnsupportedOperationException.class, () -> CidrList.parseAll("10.0.0.0/8", "").clear());
    }
}
