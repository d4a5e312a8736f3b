"""Search quality on our own query sets (tests/data/faq-queries-*.tsv), through the JSON endpoint.

The sets were written from how customers of a Nordic IT distributor write (sv, nb, en: keywords, questions, typos,
missing å/ä/ö/ø, split compounds) plus questions the FAQ does not answer, which must get no confident answer.
"own" grew with the search and it shows; "blind" was written later from the content alone, by someone who had
not seen the search, so it tells how well the search generalises. "holdout" was written the same way after the
changes made with "blind" in view, and only measured: keep it that way, so that it stays an honest estimate
(read its misses and you have tuned on it). Change the analysis, then look at all three. The floors sit a little under what the search achieves, so that a change that makes it
worse fails here.
"""
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
FLOORS = {"own": {"top1": 0.97, "top3": 0.99, "answer_right": 0.93, "answer_precision": 0.98,
                  "no_answer_rejected": 0.90},
          "blind": {"top1": 0.95, "top3": 0.98, "answer_right": 0.87, "answer_precision": 0.98,
                    "no_answer_rejected": 0.94},
          "holdout": {"top1": 0.94, "top3": 0.98, "answer_right": 0.82, "answer_precision": 0.97,
                      "no_answer_rejected": 0.90},
          # situations described in 15-40 words, SMS style, two matters, the webshop's English labels; written
          # from the content alone before the search was changed for them. "long-holdout" is only measured.
          # long-own grew by 117 harder rows (wt-longq), written before the changes they were then used for
          "long-own": {"top1": 0.98, "top3": 0.99, "answer_right": 0.90, "answer_precision": 0.98,
                       "no_answer_rejected": 0.97},
          "long-holdout": {"top1": 0.96, "top3": 0.98, "answer_right": 0.87, "answer_precision": 0.97,
                           "no_answer_rejected": 0.95},
          # written blind like long-measure, by another helper, for tuning: its misses may be read, its rows never
          # copied into keywords or synonyms
          "long-tune": {"top1": 0.95, "top3": 0.98, "answer_right": 0.77, "answer_precision": 0.98,
                        "no_answer_rejected": 0.95},
          # a second tuning set, written blind (wt-qset2) with a third of its questions unanswerable but near the
          # FAQ's words; when it came: answer 0.783, rejected 0.900; after the second wt-quality 0.858, 0.833;
          # after the third 0.867, 0.867; after the fourth (wt-quality3) 0.900, 0.900
          "long-tune2": {"top1": 0.95, "top3": 0.98, "answer_right": 0.87, "answer_precision": 0.98,
                         "no_answer_rejected": 0.88},
          # written by someone who had seen neither the search nor the other sets; only measured, so its floors
          # sit under what the search achieves (when it came: top1 0.854, answer 0.521 at precision 0.974; after
          # wt-quality: top1 0.882, top3 0.965, answer 0.604 at precision 0.978, rejected 0.972; after the second
          # wt-quality: top1 0.889, top3 0.965, answer 0.660 at precision 0.969, rejected 0.944: two of its 36
          # unanswerable questions answered, against the goal of 90% rejected)
          "long-measure": {"top1": 0.87, "top3": 0.96, "answer_right": 0.63, "answer_precision": 0.95,
                           "no_answer_rejected": 0.93},
          # a second one, written the same way a session later (wt-qset), when long-measure had been looked at
          # seven times; when it came: top1 0.953, top3 1.000, answer 0.647 at precision 0.992, rejected 0.833;
          # after the second wt-quality: answer 0.726 at precision 0.993, rejected 0.800; after the third: answer
          # 0.742 at precision 0.986, rejected 0.800; after the fourth: answer 0.742 at precision 0.979, rejected 0.800
          "long-measure2": {"top1": 0.93, "top3": 0.98, "answer_right": 0.70, "answer_precision": 0.97,
                            "no_answer_rejected": 0.76},
          # a third pair, written blind by one helper (44% unanswerable, 15-30 words): long-tune3 for tuning (when
          # it came: answer 0.952, rejected 0.879; after wt-quality3 0.952, 0.894), long-measure3 only measured
          # (when it came: top1 0.964, answer 0.857 at precision 1.000, rejected 0.879; after wt-quality3 answer
          # 0.881, rejected 0.894)
          "long-tune3": {"top1": 0.98, "top3": 0.99, "answer_right": 0.93, "answer_precision": 0.98,
                         "no_answer_rejected": 0.87},
          "long-measure3": {"top1": 0.94, "top3": 0.97, "answer_right": 0.84, "answer_precision": 0.97,
                            "no_answer_rejected": 0.86},
          # a fourth tuning set, written blind by a helper who read only the FAQ content (44% unanswerable, near
          # its words); when it came (3f6c54e, nothing changed for it yet): top1 0.952, top3 0.988, answer 0.821
          # at precision 1.000, rejected 0.939 (the session's start, 803ff88: answer 0.798)
          "long-tune4": {"top1": 0.93, "top3": 0.97, "answer_right": 0.79, "answer_precision": 0.98,
                         "no_answer_rejected": 0.92},
          # a fifth, harder one, written the same way (41% unanswerable, most of them in the FAQ's own words: a
          # credit note after a return, a holiday's opening hours, a reminder fee); when it came (2acc90c): top1
          # 0.895, top3 0.947, answer 0.705 at precision 1.000, rejected 0.800
          "long-tune5": {"top1": 0.87, "top3": 0.93, "answer_right": 0.68, "answer_precision": 0.98,
                         "no_answer_rejected": 0.78}}
# rows at least, of which unanswerable at least
SIZES = {"own": (250, 40), "blind": (250, 40), "holdout": (250, 40), "long-own": (150, 30), "long-holdout": (100, 12),
         "long-tune": (200, 25), "long-measure": (180, 36), "long-measure2": (220, 30), "long-tune2": (180, 60),
         "long-tune3": (150, 60), "long-measure3": (150, 60), "long-tune4": (150, 66),
         "long-tune5": (160, 65)}


def _rows(name="own"):
    lines = (DATA / f"faq-queries-{name}.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["lang", "query", "slugs"]
    for line in lines[1:]:
        if line.strip():
            lang, query, slugs = line.split("\t")
            yield lang, query, [] if slugs == "-" else slugs.split(",")


def _measure(client, name):
    counts, misses = dict.fromkeys(("answerable", "top1", "top3", "answered", "right", "unanswerable",
                                    "rejected"), 0), []
    for lang, query, gold in _rows(name):
        body = client.get("/api/faq/search", query_string={"q": query, "lang": lang, "limit": 5}).get_json()
        ranked, answer = [r["slug"] for r in body["results"]], body["answer"]
        if gold:
            counts["answerable"] += 1
            counts["top1"] += ranked[:1] != [] and ranked[0] in gold
            counts["top3"] += any(r in gold for r in ranked[:3])
            counts["answered"] += answer is not None
            counts["right"] += answer in gold
            if not ranked or ranked[0] not in gold or (answer and answer not in gold):
                misses.append(f"[{lang}] {query!r}: want {gold}, got {ranked[:3]} answer={answer}")
        else:
            counts["unanswerable"] += 1
            counts["rejected"] += answer is None
            if answer is not None:
                misses.append(f"[{lang}] {query!r}: want no answer, got answer={answer}")
    return counts, misses


@pytest.mark.parametrize("name", FLOORS)
def test_query_set_is_large_and_covers_every_entry(app, name):
    rows = list(_rows(name))
    covered = {slug for _, _, gold in rows for slug in gold}
    least, unanswerable = SIZES[name]
    assert len(rows) >= least and {lang for lang, *_ in rows} == {"sv", "nb", "en"}
    assert covered == set(app.extensions["faq"].entries), "every FAQ entry has queries, and no unknown slug"
    assert sum(not gold for *_, gold in rows) >= unanswerable
    if name.startswith("long-"):
        assert all(15 <= len(query.split()) <= 40 for _, query, _ in rows)


@pytest.mark.parametrize("name", FLOORS)
def test_quality_floors(client, name):
    c, misses = _measure(client, name)
    figures = {"top1": c["top1"] / c["answerable"], "top3": c["top3"] / c["answerable"],
               "answer_right": c["right"] / c["answerable"],
               "answer_precision": c["right"] / max(1, c["answered"]),
               "no_answer_rejected": c["rejected"] / c["unanswerable"]}
    below = {figure: round(value, 3) for figure, value in figures.items() if value < FLOORS[name][figure]}
    assert not below, f"{name}: below the floors {FLOORS[name]}: {below}\n" + "\n".join(misses)
