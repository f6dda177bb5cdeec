package org.openshard.cli;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openshard.proto.v1.CommonProto;
import org.openshard.proto.v1.EnvelopeProto;
import org.openshard.proto.v1.GatewayProto;
import org.openshard.proto.v1.PaymentProto;
import org.openshard.proto.v1.RegistryProto;
import org.openshard.proto.v1.SellerProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "proto-descriptor",
    mixinStandardHelpOptions = true,
    description =
        "Writes the v1 contract (openshard/v1/*.proto) as a serialized google.protobuf.FileDescriptorSet,"
            + " dependencies first, for clients that build messages from descriptors instead of generated"
            + " code (examples/python).",
    footer = {"", "Example:", "  ./openshard proto-descriptor --out openshard-v1.desc"})
final class ProtoDescriptorCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "File to write.")
  Path out;

  @Override
  public Integer call() throws IOException {
    byte[] bytes = descriptorSet().toByteArray();
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream os = Files.newOutputStream(out)) {
      os.write(bytes);
    }
    System.err.println("openshard proto-descriptor: wrote " + bytes.length + " bytes to " + out);
    return 0;
  }

  /** Every v1 file and what it imports, each once, dependencies before dependents. */
  static FileDescriptorSet descriptorSet() {
    Map<String, FileDescriptor> ordered = new LinkedHashMap<>();
    for (FileDescriptor f :
        List.of(
            CommonProto.getDescriptor(),
            EnvelopeProto.getDescriptor(),
            PaymentProto.getDescriptor(),
            RegistryProto.getDescriptor(),
            SellerProto.getDescriptor(),
            GatewayProto.getDescriptor())) {
      add(f, ordered);
    }
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    for (FileDescriptor f : ordered.values()) {
      set.addFile(f.toProto());
    }
    return set.build();
  }

  private static void add(FileDescriptor f, Map<String, FileDescriptor> ordered) {
    if (ordered.containsKey(f.getName())) {
      return;
    }
    for (FileDescriptor d : f.getDependencies()) {
      add(d, ordered);
    }
    ordered.put(f.getName(), f);
  }
}
