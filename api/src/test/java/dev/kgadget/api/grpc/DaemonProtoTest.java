package dev.kgadget.api.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonProtoTest {

    @Test
    void startTraceRequestRoundTrips() throws InvalidProtocolBufferException {
        StartTraceRequest request = StartTraceRequest.newBuilder()
                .setJobUid("0b6c4c1e-uid")
                .setJobNamespace("shop")
                .setJobName("slow-disks")
                .setGadget("biolatency")
                .putParams("per-disk", "true")
                .addTargets(PodTarget.newBuilder()
                        .setPodUid("pod-uid").setPodName("db-0").setNamespace("shop")
                        .addContainers(ContainerTarget.newBuilder()
                                .setName("postgres").setContainerId("containerd://" + "ab".repeat(32))))
                .setDurationMs(10_000)
                .setDeadlineUnixMs(1_767_225_610_000L)
                .setMaxEvents(1000)
                .setResultsConfigmap("slow-disks-results")
                .build();

        StartTraceRequest back = StartTraceRequest.parseFrom(request.toByteArray());

        assertThat(back).isEqualTo(request);
        assertThat(back.getParamsMap()).containsExactly(Map.entry("per-disk", "true"));
        assertThat(back.getTargets(0).getContainers(0).getContainerId()).startsWith("containerd://").hasSize(77);
    }

    @Test
    void responsesRoundTrip() throws InvalidProtocolBufferException {
        StartTraceResponse response = StartTraceResponse.newBuilder()
                .setAccepted(true)
                .addResolutions(ContainerResolution.newBuilder()
                        .setPodUid("pod-uid").setContainerName("postgres").setContainerId("containerd://ab")
                        .setCgroupId(0xFFFF_FFFF_FFFF_FFF0L) // uint64: the full 64 bits survive
                        .setCgroupPath("kubepods.slice/x.scope"))
                .addResolutions(ContainerResolution.newBuilder()
                        .setPodUid("pod-uid").setContainerName("sidecar").setError("no cgroup for container"))
                .build();
        StartTraceResponse back = StartTraceResponse.parseFrom(response.toByteArray());
        assertThat(back).isEqualTo(response);
        assertThat(Long.toUnsignedString(back.getResolutions(0).getCgroupId())).isEqualTo("18446744073709551600");

        NodeStatus status = NodeStatus.newBuilder().setNodeName("node-a").setKernelRelease("6.18.0")
                .setBtfAvailable(true).setBtfPath("/sys/kernel/btf/vmlinux")
                .setCgroup2Root("/host/sys/fs/cgroup").setCgroup2Found(true).setLibbpfVersion("1.1.2")
                .addHooks(HookStatus.newBuilder().setGadget("biolatency").setAvailable(false)
                        .addMissingHooks("tp_btf/block_io_start"))
                .setRunningTraces(1).build();
        assertThat(NodeStatus.parseFrom(status.toByteArray())).isEqualTo(status);

        ListTracesResponse traces = ListTracesResponse.newBuilder().addTraces(TraceInfo.newBuilder()
                .setJobUid("u").setState(TraceState.TRACE_STATE_RUNNING).setEvents(5).setLostEvents(1)).build();
        assertThat(ListTracesResponse.parseFrom(traces.toByteArray()).getTraces(0).getState())
                .isEqualTo(TraceState.TRACE_STATE_RUNNING);

        EventBatch batch = EventBatch.newBuilder().setJobUid("u").setNode("node-a").addSeq(1).addPodRef(1)
                .addSeq(3).addPodRef(0).setJsonLines(ByteString.copyFromUtf8("{\"comm\":\"sh\",\"pid\":42}\n{}\n"))
                .addPods(EventPod.newBuilder().setNamespace("shop").setPod("db-0").setContainer("postgres")).build();
        assertThat(EventBatch.parseFrom(batch.toByteArray())).isEqualTo(batch);
    }

    @Test
    void serviceHasItsSixMethods() {
        ServiceDescriptor service = NodeDaemonGrpc.getServiceDescriptor();
        assertThat(service.getName()).isEqualTo("kgadget.v1.NodeDaemon");
        Map<String, MethodDescriptor.MethodType> methods = service.getMethods().stream()
                .collect(Collectors.toMap(MethodDescriptor::getBareMethodName, MethodDescriptor::getType));
        assertThat(methods).containsOnly(
                Map.entry("StartTrace", MethodDescriptor.MethodType.UNARY),
                Map.entry("UpdateTargets", MethodDescriptor.MethodType.UNARY),
                Map.entry("StopTrace", MethodDescriptor.MethodType.UNARY),
                Map.entry("ListTraces", MethodDescriptor.MethodType.UNARY),
                Map.entry("GetNodeStatus", MethodDescriptor.MethodType.UNARY),
                Map.entry("FollowEvents", MethodDescriptor.MethodType.SERVER_STREAMING));
    }
}
