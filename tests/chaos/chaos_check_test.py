#!/usr/bin/python3
"""The chaos run's verdicts (tests/chaos/chaos.py) catch what they exist for:
a lost or duplicated write, a gap, a repeat or a reordering of events, a 500 or
a failure outside the fault windows. No stack needed: part of ctest."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import chaos  # noqa: E402
from stack_helpers import parse_event  # noqa: E402


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, payload):
    if isinstance(payload, int):
        return varint(number << 3) + varint(payload)
    data = payload.encode() if isinstance(payload, str) else payload
    return varint(number << 3 | 2) + varint(len(data)) + data


class ParseEvent(unittest.TestCase):
    def test_reads_the_fields_it_needs_and_skips_the_others(self):
        timestamp = field(1, 1796268206) + field(2, 5)
        data = field(1, field(1, "kind") + field(2, field(3, "report")))
        buf = (field(1, "0b5e7c1e-1c1e-4c4e-9b1e-000000000001") + field(2, 300) + field(3, "request.created")
               + field(4, "c_f027") + field(5, "F027-2026-000042") + field(6, timestamp) + field(7, data))
        e = parse_event(buf)
        self.assertEqual(e["id"], "0b5e7c1e-1c1e-4c4e-9b1e-000000000001")
        self.assertEqual(e["sequence"], 300)
        self.assertEqual(e["type"], "request.created")
        self.assertEqual(e["tenant"], "c_f027")
        self.assertEqual(e["subject"], "F027-2026-000042")


def ev(seq, id_=None):
    return {"sequence": seq, "id": id_ or "id-%d" % seq}


class EventVerdict(unittest.TestCase):
    expected = [(1, "id-1"), (2, "id-2"), (4, "id-4")]   # 3 rolled back: not a gap

    def test_all_in_order_with_a_redelivery_is_ok(self):
        v = chaos.event_verdict(self.expected, [ev(1), ev(2), ev(2), ev(4)])
        self.assertTrue(v["ok"])
        self.assertEqual(v["redelivered"], 1)
        self.assertEqual(v["applied"], 3)

    def test_a_missing_event_is_a_gap(self):
        v = chaos.event_verdict(self.expected, [ev(1), ev(4)])
        self.assertFalse(v["ok"])
        self.assertEqual(v["missing"], 1)

    def test_an_event_after_a_later_one_is_out_of_order(self):
        v = chaos.event_verdict(self.expected, [ev(2), ev(1), ev(4)])
        self.assertFalse(v["ok"])
        self.assertEqual(v["out_of_order"], 1)

    def test_one_sequence_with_two_ids_is_a_repeat(self):
        v = chaos.event_verdict(self.expected, [ev(1), ev(2), ev(2, "other"), ev(4)])
        self.assertFalse(v["ok"])
        self.assertEqual(v["unknown"], 1)

    def test_an_id_again_with_another_sequence_is_wrong(self):
        v = chaos.event_verdict(self.expected, [ev(1), ev(2), ev(4), ev(5, "id-2")])
        self.assertFalse(v["ok"])
        self.assertEqual(v["id_other_sequence"], 1)


class WriteVerdict(unittest.TestCase):
    def test_lost_duplicated_and_renumbered_writes(self):
        acks = {"k1": ["N1", 1], "k2": ["N2", 3], "k3": ["N3", 1], "k4": ["N4", 1]}
        rows = [("N1", "k1"), ("N2", "k2"), ("N2b", "k2"), ("N9", "k4"), ("N5", "k5")]
        lost, dup, _ = chaos.write_verdict(acks, rows)
        self.assertEqual(lost, ["k2", "k3", "k4"])   # twice, missing, under another number
        self.assertEqual(dup, ["k2"])

    def test_all_present_once(self):
        lost, dup, _ = chaos.write_verdict({"k1": ["N1", 2]}, [("N1", "k1"), ("N7", "k7")])
        self.assertEqual((lost, dup), ([], []))   # k7: not acknowledged, stored once: fine


class WindowVerdict(unittest.TestCase):
    def test_failures_are_classified(self):
        calls = [
            {"t0": 1.0, "t1": 1.1, "status": 200},
            {"t0": 10.0, "t1": 10.5, "status": 503},      # inside
            {"t0": 19.8, "t1": 20.2, "status": 504},      # overlaps the end: inside
            {"t0": 30.0, "t1": 30.1, "status": 503},      # outside
            {"t0": 12.0, "t1": 12.1, "status": 500},      # inside, but a 500
            {"t0": 13.0, "t1": 13.1, "status": "reset"},  # inside, not 503/504
        ]
        failed, outside, other, five = chaos.window_verdict(calls, [(9.0, 20.0)])
        self.assertEqual(len(failed), 5)
        self.assertEqual([c["t0"] for c in outside], [30.0])
        self.assertEqual([c["status"] for c in other], [500, "reset"])
        self.assertEqual(len(five), 1)


if __name__ == "__main__":
    unittest.main()
