package dev.kgadget.cli.render;

import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.ProgramCost;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunFooterTest {
    private static GadgetResult withPrograms(long lost, List<ProgramCost> programs) {
        return new GadgetResult("biolatency", Map.of(), Instant.EPOCH, 1000, "completed", OutputKind.HISTOGRAM,
                List.of(), List.of(), List.of(), 0, lost, programs);
    }

    @Test
    void missedRunsAppearOnlyWhenThereAreSome() {
        assertThat(RunFooter.of(withPrograms(2, List.of(new ProgramCost("a", 10, 1000, 0)))))
                .isEqualTo("lost 2  kernel 100 ns/event");
        assertThat(RunFooter.of(withPrograms(0, List.of(new ProgramCost("a", 10, 1000, 3), new ProgramCost("b", 10, 3000, 4)))))
                .isEqualTo("lost 0  missed 7  kernel 200 ns/event");
        assertThat(RunFooter.of(withPrograms(0, List.of()))).isEqualTo("lost 0  kernel - ns/event");
    }
}
