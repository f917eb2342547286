package dev.kgadget.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.catalog.ParamSpec;
import dev.kgadget.api.result.Column;

import org.junit.jupiter.api.Test;

import java.util.List;

class CatalogRendererTest {
    @Test
    void gadgetsWithSymptomsAndAlignedParameters() {
        List<GadgetDescriptor> gadgets = List.of(
                new GadgetDescriptor("biolatency", "Block I/O latency as a log2 histogram", "Are the disks slow?",
                        OutputKind.HISTOGRAM, List.of(ParamSpec.bool("milliseconds", "report msecs instead of usecs"),
                        ParamSpec.bool("per-disk", "one histogram per disk")), List.of()),
                new GadgetDescriptor("syscount", "System call counts", "Which system calls dominate?",
                        OutputKind.COUNTS, List.of(ParamSpec.integer("top", 10, 1, 1000, "rows to show")), List.of()),
                new GadgetDescriptor("noop", "Does nothing", "None", OutputKind.EVENTS, List.of(),
                        List.of(Column.left("x", "X", 0))));
        StringBuilder sb = new StringBuilder();
        new CatalogRenderer().render(gadgets, sb);
        assertThat(sb.toString()).isEqualTo(Golden.read("catalog.txt"));
    }
}
