package io.conclave.api.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
            "300000ms, 300000000000",
            "9.87s, 9870000000",
            "1m30s, 90000000000",
            "0, 0",
            "15.0s, 15000000000",
            "0.001s, 1000000",
            "1h, 3600000000000",
            "-1.5h, -5400000000000",
            "+5s, 5000000000",
            "1.5µs, 1500",
            "2us, 2000",
            "100ns, 100",
            ".5s, 500000000",
            "5.s, 5000000000",
            "1h2m3s4ms5us6ns, 3723004005006",
    })
    void parsesGoSyntax(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "1x", "1.2.3s", "-", "1 s", "abc", "1s2", ".s", "9999999999999h"})
    void rejectsWhatGoRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "300000000, 300ms",
            "1500, 1.5µs",
            "90000000000, 1m30s",
            "3600000000000, 1h0m0s",
            "9870000000, 9.87s",
            "-5000000000, -5s",
    })
    void formatsLikeGo(long nanos, String text) {
        assertEquals(text, GoDuration.format(Duration.ofNanos(nanos)));
    }
}
