"""Classic wrong answers to rnn.greedy_decode, each named and explained."""

import numbers

import numpy as np

from grader.testing.mistakes import mistake


def _checked(decode):
    """max_len checked as in a correct answer, so that each entry differs only by its own mistake."""
    def greedy_decode(step, h0, start_token, max_len, eos_token=None):
        if isinstance(max_len, bool) or not isinstance(max_len, numbers.Integral) or max_len < 0:
            raise ValueError(f"max_len must be an int >= 0, got {max_len!r}")
        return decode(step, h0, start_token, max_len, eos_token)
    return greedy_decode


@_checked
def _start_included(step, h0, start_token, max_len, eos_token):
    ids, token, h = [start_token], start_token, h0
    for _ in range(max_len):
        logits, h = step(token, h)
        token = int(np.argmax(logits))
        ids.append(token)
        if token == eos_token:
            break
    return ids


@_checked
def _eos_dropped(step, h0, start_token, max_len, eos_token):
    ids, token, h = [], start_token, h0
    for _ in range(max_len):
        logits, h = step(token, h)
        token = int(np.argmax(logits))
        if token == eos_token:
            break
        ids.append(token)
    return ids


@_checked
def _one_short(step, h0, start_token, max_len, eos_token):
    ids, token, h = [], start_token, h0
    while len(ids) + 1 < max_len:  # the start token counted as one of the max_len
        logits, h = step(token, h)
        token = int(np.argmax(logits))
        ids.append(token)
        if token == eos_token:
            break
    return ids


@_checked
def _no_stop_at_eos(step, h0, start_token, max_len, eos_token):
    ids, token, h = [], start_token, h0
    for _ in range(max_len):
        logits, h = step(token, h)
        token = int(np.argmax(logits))
        ids.append(token)
    return ids


@_checked
def _eos_zero_ignored(step, h0, start_token, max_len, eos_token):
    ids, token, h = [], start_token, h0
    for _ in range(max_len):
        logits, h = step(token, h)
        token = int(np.argmax(logits))
        ids.append(token)
        if eos_token and token == eos_token:
            break
    return ids


@_checked
def _h0_every_step(step, h0, start_token, max_len, eos_token):
    ids, token = [], start_token
    for _ in range(max_len):
        logits, _ = step(token, h0)
        token = int(np.argmax(logits))
        ids.append(token)
        if token == eos_token:
            break
    return ids


@_checked
def _start_every_step(step, h0, start_token, max_len, eos_token):
    ids, h = [], h0
    for _ in range(max_len):
        logits, h = step(start_token, h)
        token = int(np.argmax(logits))
        ids.append(token)
        if token == eos_token:
            break
    return ids


@_checked
def _ties_to_highest(step, h0, start_token, max_len, eos_token):
    ids, token, h = [], start_token, h0
    for _ in range(max_len):
        logits, h = step(token, h)
        logits = np.asarray(logits)
        token = int(len(logits) - 1 - np.argmax(logits[::-1]))  # the last maximum
        ids.append(token)
        if token == eos_token:
            break
    return ids


@_checked
def _step_ahead(step, h0, start_token, max_len, eos_token):
    ids = []
    logits, h = step(start_token, h0)
    for _ in range(max_len):
        token = int(np.argmax(logits))
        ids.append(token)
        if token == eos_token:
            break
        logits, h = step(token, h)  # computed even after the last id
    return ids


@_checked
def _numpy_ints(step, h0, start_token, max_len, eos_token):
    ids, token, h = [], start_token, h0
    for _ in range(max_len):
        logits, h = step(token, h)
        token = np.argmax(logits)  # a NumPy integer
        ids.append(token)
        if token == eos_token:
            break
    return ids


MISTAKES = [
    mistake(
        "start_token_in_output",
        title={"en": "start_token put at the front of the result",
               "zh": "把 start_token 放在了结果的最前面"},
        why={"en": "start_token is only what the first step reads; the caller already knows it. Return the ids the "
                   "decoder emitted, starting with the argmax of the first step's logits: ids = [] before the loop.",
             "zh": "start_token 只是第一步的输入，调用者本来就知道它。结果里只放解码器生成的 id，"
                   "第一个是第一步 logits 的 argmax：循环开始前 ids = []。"},
        greedy_decode=_start_included),
    mistake(
        "eos_not_returned",
        title={"en": "eos_token left out of the result (the loop breaks before appending it)",
               "zh": "结果里漏掉了 eos_token（在追加之前就 break 了）"},
        why={"en": "eos_token is emitted like any other id, and the caller needs to see it to know the sequence "
                   "ended rather than ran out of max_len. Append the id first, then stop if it is eos_token.",
             "zh": "eos_token 和其他 id 一样是生成出来的，调用者要看到它，才知道序列是自然结束的，"
                   "而不是被 max_len 截断的。先把 id 追加进去，再判断它是不是 eos_token、要不要停。"},
        greedy_decode=_eos_dropped),
    mistake(
        "one_id_short",
        title={"en": "one id too few: max_len counted the start token, or the length was checked one step early",
               "zh": "少了一个 id：把 start_token 也算进了 max_len，或者长度判断提前了一步"},
        why={"en": "max_len bounds the emitted ids only; start_token is not one of them. Without eos_token the result "
                   "has exactly max_len ids: loop while len(ids) < max_len, or for _ in range(max_len).",
             "zh": "max_len 只限制生成的 id 个数，start_token 不算在内。没有遇到 eos_token 时，结果正好有 max_len 个 id："
                   "用 while len(ids) < max_len，或 for _ in range(max_len)。"},
        greedy_decode=_one_short),
    mistake(
        "no_stop_at_eos",
        title={"en": "decoding goes on after eos_token was emitted",
               "zh": "生成 eos_token 之后还在继续解码"},
        why={"en": "eos_token marks the end of the sequence: after emitting it, stop, even with max_len not reached. "
                   "Check each new id against eos_token right after appending it.",
             "zh": "eos_token 表示序列结束：生成它之后就要停下，即使还没到 max_len。每追加一个新 id，都立刻和 eos_token 比较一次。"},
        greedy_decode=_no_stop_at_eos),
    mistake(
        "eos_zero_is_no_eos",
        title={"en": "eos_token=0 taken for \"no eos_token\" (if eos_token and ...)",
               "zh": "把 eos_token=0 当成了“没有 eos_token”（写了 if eos_token and ...）"},
        why={"en": "0 is a valid id, and bool(0) is False, so a truth test skips it. Only None means \"no eos_token\": "
                   "compare token == eos_token (never true for None), or test eos_token is not None.",
             "zh": "0 是合法的 id，而 bool(0) 为 False，用真假判断会把它跳过。只有 None 才表示“没有 eos_token”："
                   "直接比较 token == eos_token（eos_token 为 None 时永远不成立），或者写 eos_token is not None。"},
        greedy_decode=_eos_zero_ignored),
    mistake(
        "h0_every_step",
        title={"en": "h0 passed to every step instead of the state the last step returned",
               "zh": "每一步都传入 h0，而不是上一步返回的状态"},
        why={"en": "The state is the decoder's memory of what it has read so far. Keep what step returns, "
                   "logits, h = step(token, h), and pass that h to the next call; h0 is for the first call only.",
             "zh": "状态是解码器对已读内容的记忆。保存 step 返回的状态：logits, h = step(token, h)，"
                   "再把这个 h 传给下一次调用；h0 只用于第一次调用。"},
        greedy_decode=_h0_every_step),
    mistake(
        "start_token_every_step",
        title={"en": "start_token fed to every step instead of the id just emitted",
               "zh": "每一步都喂入 start_token，而不是刚生成的 id"},
        why={"en": "Greedy decoding feeds the decoder its own output: start_token goes into the first step only, and "
                   "each later step reads the id the step before emitted. Set token = the new id inside the loop.",
             "zh": "贪心解码是把解码器自己的输出再喂回去：start_token 只用于第一步，之后每一步读入的都是上一步生成的 id。"
                   "在循环里令 token = 新生成的 id。"},
        greedy_decode=_start_every_step),
    mistake(
        "ties_to_highest_id",
        title={"en": "a tie between logits goes to the highest id instead of the lowest",
               "zh": "logits 并列最大时取了编号最大的 id，而不是最小的"},
        why={"en": "When several ids share the largest logit, the lowest of them is the one to emit. np.argmax does "
                   "exactly that (it returns the first maximum); do not search from the end or with >= in a loop.",
             "zh": "几个 id 的 logit 并列最大时，应当取其中编号最小的。np.argmax 正是这样做的（它返回第一个最大值）；"
                   "不要从后往前找，也不要在循环里用 >= 比较。"},
        greedy_decode=_ties_to_highest),
    mistake(
        "step_after_last_id",
        title={"en": "one step too many: the next logits computed after the last id, or with max_len=0",
               "zh": "多调用了一次 step：在最后一个 id 之后（或 max_len=0 时）还计算了下一步的 logits"},
        why={"en": "Each call of step costs a full run of the decoder, so call it once per emitted id and no more: "
                   "inside the loop, step first, then pick the id, append it and stop if it is eos_token or the last "
                   "one. With max_len=0, step is not called at all.",
             "zh": "每调用一次 step 就要把解码器完整地跑一遍，所以每生成一个 id 只调用一次，不多调用："
                   "在循环里先调用 step，再选出 id、追加，是 eos_token 或已到最后一个时就停。max_len=0 时根本不调用 step。"},
        greedy_decode=_step_ahead),
    mistake(
        "numpy_int_ids",
        title={"en": "the ids returned as NumPy integers (np.argmax's result) instead of Python ints",
               "zh": "返回的 id 是 NumPy 整数（np.argmax 的结果），而不是 Python int"},
        why={"en": "np.argmax gives an np.int64, which is not a Python int: json.dumps refuses it, and code that "
                   "checks type(t) is int turns it away. The result is a list of ints: convert each id with int(...) "
                   "before appending it.",
             "zh": "np.argmax 返回的是 np.int64，不是 Python int：json.dumps 不接受它，检查 type(t) is int 的代码也会拒绝它。"
                   "结果应是 int 的列表：追加之前先用 int(...) 转换每个 id。"},
        greedy_decode=_numpy_ints),
]
