"""How the stages cut their work into tasks for the worker processes (no processes started)."""

from news_etl.stages.enrich import _longest_first
from news_etl.stages.workers import chunks


def _sizes(batches, size, pending, workers):
    return [len(task) for task in chunks(batches, size, pending, workers)]


def test_tasks_taper_towards_the_end_so_the_workers_finish_together():
    sizes = _sizes([list(range(20))], 10, 20, 2)
    assert sum(sizes) == 20
    assert sizes[0] == 3 and sizes[-1] == 1  # at most an eighth of what is left (2 workers), down to one
    assert sizes == sorted(sizes, reverse=True)


def test_full_size_tasks_while_much_is_left_and_across_batch_ends():
    batches = [list(range(100))] * 5 + [list(range(20))]
    sizes = _sizes(batches, 25, 520, 2)
    assert sum(sizes) == 520
    assert sizes[:12] == [25] * 12  # full tasks while more than 8 x 25 are left
    items = [x for task in chunks(batches, 25, 520, 2) for x in task]
    assert items == [x for b in batches for x in b]  # nothing lost, nothing reordered


def test_one_worker_or_an_unknown_count_keeps_full_tasks():
    assert _sizes([list(range(64))] * 2, 16, 128, 1) == [16] * 8
    assert _sizes([list(range(40))], 16, 0, 2) == [16, 16, 8]


def test_the_last_articles_go_to_several_workers_longest_first_the_rest_in_stored_order():
    batch = [{"article_id": "a", "body": "x" * 5}, {"article_id": "b", "body": "x" * 50},
             {"article_id": "c", "body": None}, {"article_id": "d", "body": "x" * 20}]
    ids = lambda batches: [[r["article_id"] for r in b] for b in batches]  # noqa: E731
    assert ids(_longest_first([batch], 2, 4, 8)) == [["b", "d", "a", "c"]]
    assert ids(_longest_first([batch], 1, 4, 8)) == [["a", "b", "c", "d"]]  # one worker: nothing to balance
    # Before the tail (12 left, tail 8): stored order; the last two batches (8 left): longest first.
    assert ids(_longest_first([batch, batch, batch], 2, 12, 8)) == [["a", "b", "c", "d"], ["b", "d", "a", "c"],
                                                                    ["b", "d", "a", "c"]]
