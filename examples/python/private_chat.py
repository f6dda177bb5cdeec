#!/usr/bin/env python3
"""OpenShard from Python: a streamed private chat through a buyer's Gateway, and Registry.Discover.

    python3 private_chat.py --buyer 127.0.0.1:PORT --registry 127.0.0.1:PORT [--service demo-model]
                            [--prompt TEXT] [--descriptor openshard-v1.desc] [--expect-echo]

Needs grpcio and protobuf (Debian: apt-get install python3-grpcio python3-protobuf). No generated
code: the message classes are built at run time from the contract's FileDescriptorSet, which
`./openshard proto-descriptor --out FILE` writes (this script runs it when --descriptor is not
given). Calls use grpc's generic unary_unary / unary_stream with those classes. Exits non-zero on
any failure. With the demo's echo upstream the answer is the prompt.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load_contract(path):
    """Returns (pool, message_class(full_name))."""
    with open(path, "rb") as f:
        fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file_proto in fds.file:
        pool.Add(file_proto)
    factory = None if hasattr(message_factory, "GetMessageClass") else message_factory.MessageFactory(pool)

    def message_class(full_name):
        d = pool.FindMessageTypeByName(full_name)
        return message_factory.GetMessageClass(d) if factory is None else factory.GetPrototype(d)

    return pool, message_class


def method(pool, message_class, service, name):
    """(path, request class, response class) of one RPC, from the descriptors."""
    m = pool.FindServiceByName(service).methods_by_name[name]
    return "/%s/%s" % (service, name), message_class(m.input_type.full_name), message_class(m.output_type.full_name)


def descriptor_path(given):
    if given:
        return given
    out = os.path.join(tempfile.mkdtemp(prefix="openshard-py-"), "openshard-v1.desc")
    subprocess.run([os.path.join(REPO, "openshard"), "proto-descriptor", "--out", out], check=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--buyer", required=True, help="buyer gateway HOST:PORT")
    ap.add_argument("--registry", required=True, help="registry HOST:PORT")
    ap.add_argument("--service", default="demo-model")
    ap.add_argument("--prompt", default="hello from python")
    ap.add_argument("--descriptor", help="FileDescriptorSet of openshard/v1 (./openshard proto-descriptor --out FILE)")
    ap.add_argument("--expect-echo", action="store_true", help="fail unless the answer equals the prompt")
    args = ap.parse_args()

    pool, message_class = load_contract(descriptor_path(args.descriptor))

    with grpc.insecure_channel(args.registry) as channel:
        path, req_cls, resp_cls = method(pool, message_class, "openshard.v1.Registry", "Discover")
        discover = channel.unary_unary(path, request_serializer=req_cls.SerializeToString,
                                       response_deserializer=resp_cls.FromString)
        found = discover(req_cls(service_id=args.service, limit=50), timeout=30)
    print("registry: %d seller(s) offer %s" % (found.total_matches, args.service))
    for peer in found.peers:
        r = peer.registration
        for o in r.offerings:
            print("  %s at %s: offering %s, in/out %d/%d per 1M tokens" % (
                r.peer_id, r.endpoint, o.offering_id, o.pricing.input_per_million, o.pricing.output_per_million))
    if not found.peers:
        raise RuntimeError("no seller offers %s" % args.service)

    body = {"model": args.service, "stream": True, "messages": [{"role": "user", "content": args.prompt}]}
    answer, summary = [], None
    with grpc.insecure_channel(args.buyer) as channel:
        path, req_cls, event_cls = method(pool, message_class, "openshard.v1.Gateway", "ChatCompletion")
        chat = channel.unary_stream(path, request_serializer=req_cls.SerializeToString,
                                    response_deserializer=event_cls.FromString)
        for event in chat(req_cls(openai_request_json=json.dumps(body)), timeout=30):
            kind = event.WhichOneof("event")
            if kind == "chunk":
                sys.stdout.write(event.chunk.content_delta)
                sys.stdout.flush()
                answer.append(event.chunk.content_delta)
            elif kind == "completion":
                answer.append(event.completion.content)
            elif kind == "summary":
                summary = event.summary
    print()
    if summary is None:
        raise RuntimeError("the stream ended without a summary")
    print("served by %s (offering %s), charged %d, receipt %s, nullifier %s…, attempts %d" % (
        summary.seller_id, summary.offering_id, summary.amount_charged, summary.receipt_id or "-",
        summary.nullifier_hash[:12], summary.attempts))
    if args.expect_echo and "".join(answer).strip() != args.prompt:
        raise RuntimeError("the answer is not the echo of the prompt")


if __name__ == "__main__":
    try:
        main()
    except grpc.RpcError as e:
        print("error: %s %s" % (e.code(), e.details()), file=sys.stderr)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 - any failure is a non-zero exit
        print("error: %s" % e, file=sys.stderr)
        sys.exit(1)
