"""The limit to measure the engine against: eight PENTAS indicators scored by plain Python.

Written directly from the rubric with if/else, no engine: each function reads the
facts it needs from the same flat mapping the engine reads (``"toilet.bersih"``
-> value; absent means unknown) and follows the same three-valued logic, so the
two must agree on every office (the benchmark checks that before timing them).

Two versions of each: *bare* returns the level only; *traced* also returns every
level's outcome and, for every comparison, a record (fact, operator, expected,
actual, outcome), which is what an explanation needs and what the engine keeps.
"""

from __future__ import annotations

from typing import Any

Facts = dict[str, Any]

# -- three-valued helpers ---------------------------------------------------------


def _all(*outcomes: Any) -> Any:
    return False if False in outcomes else (None if None in outcomes else True)


def _any(*outcomes: Any) -> Any:
    return True if True in outcomes else (None if None in outcomes else False)


def _highest(*levels: tuple[int, Any]) -> int:
    best = 0
    for value, outcome in levels:
        if outcome is True and value > best:
            best = value
    return best


def _yes(v: Any) -> Any:
    return None if v is None else v is True


def _no(v: Any) -> Any:
    return None if v is None else v is False


def _cmp(v: Any, op: str, c: Any) -> Any:
    if v is None:
        return None
    if op == "<":
        return v < c
    if op == ">":
        return v > c
    if op == ">=":
        return v >= c
    if op == "<=":
        return v <= c
    if op == "between":
        return c[0] <= v <= c[1]
    raise ValueError(op)


IKM_RANK = {g: i for i, g in enumerate(["F", "E", "D", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"])}


def _days_allowed(population: Any) -> Any:
    if population is None:
        return None
    if population < 500_000:
        return 2
    if population <= 1_500_000:
        return 3
    return 4


# -- bare: the level only -------------------------------------------------------------


def toilet(f: Facts) -> int:
    ada, bersih, tisu = _yes(f.get("toilet.ada")), _yes(f.get("toilet.bersih")), _yes(f.get("toilet.tisu"))
    sabun, pisah, petugas = _yes(f.get("toilet.sabun_cuci_tangan")), _yes(f.get("toilet.terpisah_laki_perempuan")), _yes(f.get("toilet.petugas"))
    return _highest(
        (1, _all(ada, bersih)),
        (2, _all(bersih, tisu)),
        (3, _all(bersih, tisu, sabun)),
        (4, _all(bersih, tisu, sabun, pisah)),
        (5, _all(bersih, tisu, sabun, pisah, petugas)),
    )


def parkir(f: Facts) -> int:
    ada, rambu, teratur, petugas = (_yes(f.get(n)) for n in ("parkir.ada", "parkir.rambu", "parkir.teratur_mobil_motor", "parkir.petugas"))
    return _highest((3, _all(ada, rambu)), (4, _all(rambu, teratur)), (5, _all(rambu, teratur, petugas)))


def perekaman(f: Facts) -> int:
    v = f.get("kinerja.perekaman_ktp_el_pct")
    return _highest((3, _cmp(v, "<", 90)), (4, _cmp(v, "between", (90, 98))), (5, _cmp(v, ">", 98)))


def akta(f: Facts) -> int:
    v = f.get("kinerja.akta_kelahiran_pct")
    return _highest((3, _cmp(v, "<", 85)), (4, _cmp(v, "between", (85, 95))), (5, _cmp(v, ">", 95)))


_PENGADUAN_BASE = ("call_center", "ruang_pejabat", "sarana_lainnya", "bagan_alur", "formulir", "pengelolaan")
_PENGADUAN_ONLINE = ("online", "menu_kontak_petugas", "petugas_online_paham")


def pengaduan(f: Facts) -> int:
    base = [_yes(f.get("pengaduan." + n)) for n in _PENGADUAN_BASE]
    online = [_yes(f.get("pengaduan." + n)) for n in _PENGADUAN_ONLINE]
    pct = f.get("pengaduan.ditanggapi_langsung_pct")
    return _highest(
        (1, _all(*base, _yes(f.get("pengaduan.tindak_lanjut")))),
        (2, _all(*base, _yes(f.get("pengaduan.petugas_paham_aturan")))),
        (3, _all(*online, _cmp(pct, ">=", 80))),
        (4, _all(*online, _cmp(pct, ">=", 90))),
        (5, _all(*online, _cmp(pct, ">=", 100))),
    )


def _grade_at_least(v: Any, grade: str) -> Any:
    return None if v is None else IKM_RANK[v] >= IKM_RANK[grade]


def ikm(f: Facts) -> int:
    biro, menpan = _yes(f.get("ikm.biro_organisasi_dinilai")), _yes(f.get("ikm.menpan_rb_dinilai"))
    bn, mn = f.get("ikm.biro_organisasi_nilai"), f.get("ikm.menpan_rb_nilai")
    return _highest(
        (1, _all(biro, menpan)),
        (2, _all(biro, _grade_at_least(bn, "B"))),
        (3, _all(biro, menpan, _grade_at_least(bn, "B"), _grade_at_least(mn, "B"))),
        (4, _all(biro, menpan, _grade_at_least(bn, "A"), _grade_at_least(mn, "A"))),
        (5, _all(biro, menpan, _grade_at_least(bn, "A+"), _grade_at_least(mn, "A+"))),
    )


def inovasi_efektif(f: Facts) -> int:
    sasaran, cepat = f.get("inovasi.mencapai_sasaran"), f.get("inovasi.mempercepat_layanan")
    days, allowed = f.get("inovasi.waktu_layanan_hari"), _days_allowed(f.get("meta.population"))
    within = None if days is None or allowed is None else days <= allowed
    ada = _yes(f.get("inovasi.ada"))  # R52: every level needs an innovation to exist
    return _highest((3, _all(ada, _no(sasaran), _no(cepat))), (4, _all(ada, _yes(sasaran), _no(cepat))), (5, _all(ada, _yes(sasaran), within)))


def pimpinan(f: Facts) -> int:
    surat = _yes(f.get("dukungan.surat_ke_opd"))
    sk = _any(_yes(f.get("dukungan.surat_keputusan_opd")), _yes(f.get("dukungan.perjanjian_kerja_sama_opd")))
    sarpras, anggaran = _yes(f.get("dukungan.tambahan_sarpras")), _yes(f.get("dukungan.tambahan_anggaran"))
    apbd, dak = f.get("dukungan.anggaran_apbd_rp"), f.get("dukungan.anggaran_dak_rp")
    lebih = None if apbd is None or dak is None else apbd > dak
    return _highest(
        (1, surat),
        (2, _all(surat, sk)),
        (3, _all(surat, sk, sarpras)),
        (4, _all(surat, sk, sarpras, anggaran)),
        (5, _all(surat, sk, sarpras, anggaran, lebih)),
    )


BARE = {"I03": toilet, "I05": parkir, "I18": perekaman, "I19": akta, "I09": pengaduan, "I10": ikm, "I13": inovasi_efektif, "I16": pimpinan}

# -- traced: every level's outcome and every comparison's record ------------------------


class Trace:
    """The comparisons made, in order, and each level's outcome."""

    __slots__ = ("comparisons", "levels")

    def __init__(self) -> None:
        self.comparisons: list[tuple[str, str, Any, Any, Any]] = []
        self.levels: list[tuple[int, Any]] = []

    def eq(self, f: Facts, name: str, expected: Any) -> Any:
        v = f.get(name)
        o = None if v is None else v == expected
        self.comparisons.append((name, "==", expected, v, o))
        return o

    def cmp(self, f: Facts, name: str, op: str, expected: Any) -> Any:
        v = f.get(name)
        o = _cmp(v, op, expected)
        self.comparisons.append((name, op, expected, v, o))
        return o

    def grade(self, f: Facts, name: str, grade: str) -> Any:
        v = f.get(name)
        o = _grade_at_least(v, grade)
        self.comparisons.append((name, ">=", grade, v, o))
        return o

    def level(self, value: int, outcome: Any) -> None:
        self.levels.append((value, outcome))

    def result(self) -> tuple[int, Trace]:
        return _highest(*self.levels), self


def toilet_traced(f: Facts) -> tuple[int, Trace]:
    t = Trace()
    t.level(1, _all(t.eq(f, "toilet.ada", True), t.eq(f, "toilet.bersih", True)))
    t.level(2, _all(t.eq(f, "toilet.bersih", True), t.eq(f, "toilet.tisu", True)))
    t.level(3, _all(t.eq(f, "toilet.bersih", True), t.eq(f, "toilet.tisu", True), t.eq(f, "toilet.sabun_cuci_tangan", True)))
    t.level(
        4,
        _all(
            t.eq(f, "toilet.bersih", True),
            t.eq(f, "toilet.tisu", True),
            t.eq(f, "toilet.sabun_cuci_tangan", True),
            t.eq(f, "toilet.terpisah_laki_perempuan", True),
        ),
    )
    t.level(
        5,
        _all(
            t.eq(f, "toilet.bersih", True),
            t.eq(f, "toilet.tisu", True),
            t.eq(f, "toilet.sabun_cuci_tangan", True),
            t.eq(f, "toilet.terpisah_laki_perempuan", True),
            t.eq(f, "toilet.petugas", True),
        ),
    )
    return t.result()


def parkir_traced(f: Facts) -> tuple[int, Trace]:
    t = Trace()
    t.level(3, _all(t.eq(f, "parkir.ada", True), t.eq(f, "parkir.rambu", True)))
    t.level(4, _all(t.eq(f, "parkir.rambu", True), t.eq(f, "parkir.teratur_mobil_motor", True)))
    t.level(5, _all(t.eq(f, "parkir.rambu", True), t.eq(f, "parkir.teratur_mobil_motor", True), t.eq(f, "parkir.petugas", True)))
    return t.result()


def _brackets_traced(f: Facts, name: str, low: float, high: float) -> tuple[int, Trace]:
    t = Trace()
    t.level(3, t.cmp(f, name, "<", low))
    t.level(4, t.cmp(f, name, "between", (low, high)))
    t.level(5, t.cmp(f, name, ">", high))
    return t.result()


def perekaman_traced(f: Facts) -> tuple[int, Trace]:
    return _brackets_traced(f, "kinerja.perekaman_ktp_el_pct", 90, 98)


def akta_traced(f: Facts) -> tuple[int, Trace]:
    return _brackets_traced(f, "kinerja.akta_kelahiran_pct", 85, 95)


def pengaduan_traced(f: Facts) -> tuple[int, Trace]:
    t = Trace()
    t.level(1, _all(*[t.eq(f, "pengaduan." + n, True) for n in _PENGADUAN_BASE], t.eq(f, "pengaduan.tindak_lanjut", True)))
    t.level(2, _all(*[t.eq(f, "pengaduan." + n, True) for n in _PENGADUAN_BASE], t.eq(f, "pengaduan.petugas_paham_aturan", True)))
    for level, pct in ((3, 80), (4, 90), (5, 100)):
        t.level(level, _all(*[t.eq(f, "pengaduan." + n, True) for n in _PENGADUAN_ONLINE], t.cmp(f, "pengaduan.ditanggapi_langsung_pct", ">=", pct)))
    return t.result()


def ikm_traced(f: Facts) -> tuple[int, Trace]:
    t = Trace()
    t.level(1, _all(t.eq(f, "ikm.biro_organisasi_dinilai", True), t.eq(f, "ikm.menpan_rb_dinilai", True)))
    t.level(2, _all(t.eq(f, "ikm.biro_organisasi_dinilai", True), t.grade(f, "ikm.biro_organisasi_nilai", "B")))
    for level, grade in ((3, "B"), (4, "A"), (5, "A+")):
        t.level(
            level,
            _all(
                t.eq(f, "ikm.biro_organisasi_dinilai", True),
                t.eq(f, "ikm.menpan_rb_dinilai", True),
                t.grade(f, "ikm.biro_organisasi_nilai", grade),
                t.grade(f, "ikm.menpan_rb_nilai", grade),
            ),
        )
    return t.result()


def inovasi_efektif_traced(f: Facts) -> tuple[int, Trace]:
    t = Trace()
    t.level(3, _all(t.eq(f, "inovasi.ada", True), t.eq(f, "inovasi.mencapai_sasaran", False), t.eq(f, "inovasi.mempercepat_layanan", False)))
    t.level(4, _all(t.eq(f, "inovasi.ada", True), t.eq(f, "inovasi.mencapai_sasaran", True), t.eq(f, "inovasi.mempercepat_layanan", False)))
    days, allowed = f.get("inovasi.waktu_layanan_hari"), _days_allowed(f.get("meta.population"))
    within = None if days is None or allowed is None else days <= allowed
    t.comparisons.append(("inovasi.waktu_layanan_hari", "<=", allowed, days, within))
    t.level(5, _all(t.eq(f, "inovasi.ada", True), t.eq(f, "inovasi.mencapai_sasaran", True), within))
    return t.result()


def pimpinan_traced(f: Facts) -> tuple[int, Trace]:
    t = Trace()

    def sk() -> Any:
        return _any(t.eq(f, "dukungan.surat_keputusan_opd", True), t.eq(f, "dukungan.perjanjian_kerja_sama_opd", True))

    t.level(1, t.eq(f, "dukungan.surat_ke_opd", True))
    t.level(2, _all(t.eq(f, "dukungan.surat_ke_opd", True), sk()))
    t.level(3, _all(t.eq(f, "dukungan.surat_ke_opd", True), sk(), t.eq(f, "dukungan.tambahan_sarpras", True)))
    t.level(4, _all(t.eq(f, "dukungan.surat_ke_opd", True), sk(), t.eq(f, "dukungan.tambahan_sarpras", True), t.eq(f, "dukungan.tambahan_anggaran", True)))
    apbd, dak = f.get("dukungan.anggaran_apbd_rp"), f.get("dukungan.anggaran_dak_rp")
    lebih = None if apbd is None or dak is None else apbd > dak
    t.comparisons.append(("dukungan.anggaran_apbd_rp", ">", dak, apbd, lebih))
    t.level(
        5,
        _all(t.eq(f, "dukungan.surat_ke_opd", True), sk(), t.eq(f, "dukungan.tambahan_sarpras", True), t.eq(f, "dukungan.tambahan_anggaran", True), lebih),
    )
    return t.result()


TRACED = {
    "I03": toilet_traced,
    "I05": parkir_traced,
    "I18": perekaman_traced,
    "I19": akta_traced,
    "I09": pengaduan_traced,
    "I10": ikm_traced,
    "I13": inovasi_efektif_traced,
    "I16": pimpinan_traced,
}
