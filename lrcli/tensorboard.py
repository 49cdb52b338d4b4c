"""The scalars of a TensorBoard event file (``events.out.tfevents.*``), read without TensorFlow,
TensorBoard or protobuf: data only, nothing executed.

The file is TFRecord framing around ``Event`` protocol buffers. Each record is::

    uint64 length | uint32 masked crc32c(length) | data (length bytes) | uint32 masked crc32c(data)

both checksums verified. Of an ``Event`` only ``step`` (field 2) and ``summary`` (5) are read; of
its ``Summary.Value`` entries (field 1) the ``tag`` (1) and either ``simple_value`` (2, a float32)
or a scalar ``tensor`` (8: ``float_val`` 5, ``double_val`` 6 or ``tensor_content`` 4 of dtype
``DT_FLOAT`` 1 or ``DT_DOUBLE`` 2). The nesting is that fixed depth; lengths are checked against
the bytes there are.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

MAX_RECORD = 16 * 2**20
"""The longest record read (16 MiB; a scalar event is a few dozen bytes)."""


class EventFileError(ValueError):
    """A file that is not a well-formed event file: one line saying where (a byte offset)."""


def _crc32c_table() -> list[int]:
    """The 256 entries of the reflected CRC-32C (Castagnoli, polynomial 0x82F63B78) table."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC-32C of ``data``, a byte a step through the table.

    >>> hex(crc32c(b"123456789"))
    '0xe3069283'
    """
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data: bytes) -> int:
    """TFRecord's checksum: the CRC-32C rotated right by 15 bits plus 0xA282EAD8 (mod 2**32).

    >>> hex(masked_crc(b""))
    '0xa282ead8'
    """
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def looks_like_event_file(data: bytes) -> bool:
    """Whether ``data`` starts with a TFRecord header whose length checksum holds."""
    return len(data) >= 12 and struct.unpack_from("<I", data, 8)[0] == masked_crc(data[:8])


def records(data: bytes, max_record: int = MAX_RECORD) -> Iterator[tuple[int, bytes]]:
    """Each record's byte offset and data, both checksums verified."""
    offset = 0
    while offset < len(data):
        if len(data) - offset < 12:
            raise EventFileError(f"byte {offset}: a truncated record header ({len(data) - offset} bytes)")
        (length,) = struct.unpack_from("<Q", data, offset)
        if struct.unpack_from("<I", data, offset + 8)[0] != masked_crc(data[offset : offset + 8]):
            raise EventFileError(f"byte {offset}: the record length's checksum does not match (not an event file?)")
        if length > max_record:
            raise EventFileError(
                f"byte {offset}: a record of {length:,} bytes; lrcli reads records up to {max_record:,}"
            )
        end = offset + 12 + length
        if end + 4 > len(data):
            raise EventFileError(f"byte {offset}: a truncated record ({length:,} bytes announced, the file ends first)")
        payload = data[offset + 12 : end]
        if struct.unpack_from("<I", data, end)[0] != masked_crc(payload):
            raise EventFileError(f"byte {offset}: the record's data checksum does not match (a corrupt record)")
        yield offset, payload
        offset = end + 4


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """A base-128 varint at ``position`` (at most 10 bytes) and the position after it."""
    value = shift = 0
    for index in range(position, min(position + 10, len(data))):
        byte = data[index]
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, index + 1
        shift += 7
    raise EventFileError("a malformed varint")


def fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """A protocol buffer message's fields: number, wire type, and the value (an int for varint
    and fixed-width fields, the bytes of a length-delimited one).

    >>> list(fields(b"\\x10\\x07\\x2a\\x02hi"))
    [(2, 0, 7), (5, 2, b'hi')]
    """
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, position = _varint(data, position)
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            if position + size > len(data):
                raise EventFileError(f"field {number} runs past its message")
            value = int.from_bytes(data[position : position + size], "little")
            position += size
        elif wire == 2:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise EventFileError(f"field {number} runs past its message")
            value = data[position : position + length]
            position += length
        else:
            raise EventFileError(f"field {number} has wire type {wire}, which no event field has")
        yield number, wire, value


def _float32(bits: int) -> float:
    return struct.unpack("<f", bits.to_bytes(4, "little"))[0]


def _float64(bits: int) -> float:
    return struct.unpack("<d", bits.to_bytes(8, "little"))[0]


def _tensor(data: bytes) -> float | None:
    """A scalar ``TensorProto``'s value (float or double), or None for another kind."""
    dtype, values, content = 0, [], b""
    for number, wire, value in fields(data):
        if number == 1 and wire == 0:
            assert isinstance(value, int)
            dtype = value
        elif number == 4 and wire == 2:
            assert isinstance(value, bytes)
            content = value
        elif number in (5, 6) and wire == 2:  # packed float_val / double_val
            assert isinstance(value, bytes)
            size, code = (4, "<f") if number == 5 else (8, "<d")
            values += [item for (item,) in struct.iter_unpack(code, value[: len(value) // size * size])]
        elif number == 5 and wire == 5:
            assert isinstance(value, int)
            values.append(_float32(value))
        elif number == 6 and wire == 1:
            assert isinstance(value, int)
            values.append(_float64(value))
    if content and dtype in (1, 2):
        size, code = (4, "<f") if dtype == 1 else (8, "<d")
        values = [item for (item,) in struct.iter_unpack(code, content[: len(content) // size * size])]
    return values[0] if len(values) == 1 and dtype in (1, 2) else None


def scalars(data: bytes, max_record: int = MAX_RECORD) -> Iterator[tuple[int, str, int, float]]:
    """Every scalar in an event file, in file order: the record's byte offset, the tag, the step
    and the value (a ``simple_value`` is a float32, given here as the float it is exactly)."""
    for offset, record in records(data, max_record):
        try:
            step, summaries = 0, []
            for number, wire, value in fields(record):
                if number == 2 and wire == 0:
                    assert isinstance(value, int)
                    step = value - 2**64 if value >= 2**63 else value  # int64, two's complement
                elif number == 5 and wire == 2:
                    assert isinstance(value, bytes)
                    summaries.append(value)
            for summary in summaries:
                for number, wire, value in fields(summary):
                    if number == 1 and wire == 2:
                        assert isinstance(value, bytes)
                        found = _value(value)
                        if found is not None:
                            yield offset, found[0], step, found[1]
        except (EventFileError, UnicodeDecodeError) as error:
            raise EventFileError(f"byte {offset}: not an Event ({error})") from None


def _value(data: bytes) -> tuple[str, float] | None:
    """A ``Summary.Value``'s tag and scalar, or None when it holds no scalar."""
    tag, scalar = None, None
    for number, wire, value in fields(data):
        if number == 1 and wire == 2:
            assert isinstance(value, bytes)
            tag = value.decode("utf-8")
        elif number == 2 and wire == 5:
            assert isinstance(value, int)
            scalar = _float32(value)
        elif number == 8 and wire == 2:
            assert isinstance(value, bytes)
            scalar = _tensor(value)
    return None if tag is None or scalar is None else (tag, scalar)
