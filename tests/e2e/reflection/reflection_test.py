#!/usr/bin/python3
"""Every service answers server reflection the way generic gRPC tools need
(grpcurl list/describe, grpcui): each listed service resolves, with every file
it depends on, into a descriptor pool, and the health service can then be
called from those descriptors alone, as grpcurl does.

Usage: reflection_test.py [NAME=HOST:PORT ...]   (prints "N passed, N failed")
Without arguments: every service of services/services.txt at the address in
SPORTELLO_TEST_<NAME>_ADDR, as ./sportello test exports them.
"""
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "support"))
from stack_helpers import SERVICES, check, summary  # noqa: E402


def load_reflection_module():
    out = tempfile.mkdtemp(prefix="reflection_")
    rc = protoc.main(["protoc", f"-I{HERE}", f"--python_out={out}", f"--grpc_python_out={out}",
                      os.path.join(HERE, "reflection.proto")])
    if rc != 0:
        sys.exit(f"protoc failed ({rc})")
    sys.path.insert(0, out)
    import reflection_pb2  # noqa: E402
    import reflection_pb2_grpc  # noqa: E402
    return reflection_pb2, reflection_pb2_grpc


def ask(stub, pb, request):
    [answer] = list(stub.ServerReflectionInfo(iter([request]), timeout=10))
    if answer.HasField("error_response"):
        raise LookupError(f"{answer.error_response.error_code}: {answer.error_response.error_message}")
    return answer


def resolve(stub, pb, symbol):
    """A pool holding the file that defines `symbol` and all its dependencies."""
    pool = descriptor_pool.DescriptorPool()
    files = {}
    pending = []
    for raw in ask(stub, pb, pb.ServerReflectionRequest(file_containing_symbol=symbol)) \
            .file_descriptor_response.file_descriptor_proto:
        pending.append(descriptor_pb2.FileDescriptorProto.FromString(raw))
    while pending:
        f = pending.pop()
        if f.name in files:
            continue
        files[f.name] = f
        for dep in f.dependency:
            if dep not in files:
                answer = ask(stub, pb, pb.ServerReflectionRequest(file_by_filename=dep))
                for raw in answer.file_descriptor_response.file_descriptor_proto:
                    pending.append(descriptor_pb2.FileDescriptorProto.FromString(raw))
    added = set()

    def add(name):
        if name in added:
            return
        for dep in files[name].dependency:
            add(dep)
        pool.Add(files[name])
        added.add(name)

    for name in list(files):
        add(name)
    return pool


def main():
    pb, pb_grpc = load_reflection_module()
    targets = [arg.split("=", 1) for arg in sys.argv[1:]]
    if not targets:
        for name in SERVICES:
            address = os.environ.get(f"SPORTELLO_TEST_{name.upper()}_ADDR", "")
            check(f"SPORTELLO_TEST_{name.upper()}_ADDR is set (run with ./sportello test)", address != "")
            if address:
                targets.append((name, address))
    check("some service addresses given", len(targets) > 0)
    for name, address in targets:
        channel = grpc.insecure_channel(address)
        stub = pb_grpc.ServerReflectionStub(channel)
        listed = [s.name for s in ask(stub, pb, pb.ServerReflectionRequest(list_services=""))
                  .list_services_response.service]
        proto_service = f"sportello.v1.{name.capitalize()}Service"
        for expected in (proto_service, "grpc.health.v1.Health"):
            check(f"{name} lists {expected}", expected in listed, f"(listed: {listed})")
        for service in listed:
            try:
                pool = resolve(stub, pb, service)
                described = pool.FindServiceByName(service)
                check(f"{name}: {service} is described", len(described.methods) > 0)
            except Exception as e:  # a NOT_FOUND from the server, or a missing dependency
                check(f"{name}: {service} is described", False, f"({e})")
        # Call Health/Check from the reflected descriptors only, as grpcurl does.
        try:
            pool = resolve(stub, pb, "grpc.health.v1.Health")
            method = pool.FindServiceByName("grpc.health.v1.Health").methods_by_name["Check"]
            factory = message_factory.MessageFactory(pool)
            request_class = factory.GetPrototype(method.input_type)
            response_class = factory.GetPrototype(method.output_type)
            call = channel.unary_unary("/grpc.health.v1.Health/Check",
                                       request_serializer=lambda m: m.SerializeToString(),
                                       response_deserializer=response_class.FromString)
            answer = call(request_class(), timeout=10)
            status = method.output_type.fields_by_name["status"].enum_type.values_by_number[answer.status].name
            check(f"{name}: health from reflected descriptors is SERVING", status == "SERVING", f"({status})")
        except Exception as e:
            check(f"{name}: health from reflected descriptors", False, f"({e})")
        channel.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
