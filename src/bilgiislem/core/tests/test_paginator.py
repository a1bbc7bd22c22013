from bilgiislem.core.paginator import CappedPaginator


def test_counts_up_to_the_cap():
    paginator = CappedPaginator(list(range(120)), 50, cap=100)
    assert paginator.count == 101
    assert paginator.is_capped
    assert paginator.page(1).object_list == list(range(50))


def test_small_lists_are_counted_exactly():
    paginator = CappedPaginator(list(range(42)), 50, cap=100)
    assert paginator.count == 42
    assert not paginator.is_capped
    assert paginator.num_pages == 1
