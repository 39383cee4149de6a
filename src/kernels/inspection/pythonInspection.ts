import type { InspectionRequest } from './inspectionProtocol';

/**
 * The Python half of the inspection protocol (`inspectionProtocol`). It is installed once per kernel as a module
 * of its own in `sys.modules` (never in the user's namespace) and answers through `_repr_json_`, so the answer
 * comes back in the execute reply's `user_expressions` as `application/json`. Big values are summarized here, in
 * the kernel: a DataFrame is listed from its shape and columns, a table page is `iloc` of ~200 rows.
 */
const PYTHON_SOURCE = String.raw`
import json as _json
import reprlib as _reprlib
import sys as _sys
import types as _types

MAX_ENTRIES = 500
MAX_CHARS = 200
_HIDDEN = {'In', 'Out', 'exit', 'quit', 'get_ipython'}
_repr = _reprlib.Repr()
_repr.maxstring = MAX_CHARS
_repr.maxother = MAX_CHARS
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = _repr.maxfrozenset = 20
_sorts = []


def _cut(text):
    text = str(text)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + '\u2026'


def _pd():
    return _sys.modules.get('pandas')


def _np():
    return _sys.modules.get('numpy')


def _kind(value):
    pd, np = _pd(), _np()
    if pd is not None and isinstance(value, pd.DataFrame):
        return 'dataframe'
    if pd is not None and isinstance(value, pd.Series):
        return 'series'
    if np is not None and isinstance(value, np.ndarray):
        return 'ndarray'
    return None


def _attrs(value):
    try:
        d = vars(value)
    except TypeError:
        return None
    return d if isinstance(d, dict) else None


def _describe(name, value, step):
    kind = _kind(value)
    size = ''
    expandable = False
    table = None
    if kind == 'dataframe':
        size = str(value.shape)
        cols = [str(c) for c in value.columns[:20]]
        text = '%d columns: %s' % (value.shape[1], ', '.join(cols))
        expandable = value.shape[1] > 0
        table = kind
    elif kind == 'series':
        size = str(value.shape)
        text = 'dtype %s: %s' % (value.dtype, _repr.repr(value.iloc[:10].tolist()))
        table = kind
    elif kind == 'ndarray':
        size = str(value.shape)
        np = _np()
        text = 'dtype %s: %s' % (value.dtype, np.array2string(value, threshold=20, edgeitems=3, max_line_width=10**6))
        table = kind if value.ndim in (1, 2) else None
    else:
        if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
            size = str(len(value))
        text = _repr.repr(value)
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            expandable = len(value) > 0
        elif not isinstance(value, (type, _types.FunctionType, _types.BuiltinFunctionType, _types.ModuleType)):
            attrs = _attrs(value)
            expandable = bool(attrs)
    entry = {
        'name': _cut(name),
        'type': type(value).__name__,
        'size': size,
        'value': _cut(text.replace('\n', ' ')),
        'expandable': expandable,
        'step': step,
    }
    if table:
        entry['table'] = table
    return entry


def _children(value):
    """(name, child, step) for each child, lazily; positions for items, names for attributes."""
    kind = _kind(value)
    if kind == 'dataframe':
        for i, c in enumerate(value.columns):
            yield str(c), value.iloc[:, i], {'i': i}
    elif isinstance(value, dict):
        for i, (k, v) in enumerate(value.items()):
            yield _repr.repr(k), v, {'i': i}
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield str(i), v, {'i': i}
    elif isinstance(value, (set, frozenset)):
        for i, v in enumerate(value):
            yield str(i), v, {'i': i}
    else:
        attrs = _attrs(value) or {}
        for k, v in attrs.items():
            if not str(k).startswith('__'):
                yield str(k), v, {'a': k}


def _top(user_ns):
    shell = user_ns.get('get_ipython')
    hidden = getattr(shell(), 'user_ns_hidden', {}) if callable(shell) else {}
    for k, v in list(user_ns.items()):
        if k.startswith('_') or k in _HIDDEN or isinstance(v, _types.ModuleType):
            continue
        if k in hidden and hidden[k] is v:
            continue
        yield k, v, {'a': k}


def _nth(it, n):
    for i, item in enumerate(it):
        if i == n:
            return item
    raise LookupError('position %d is gone' % n)


def _resolve(user_ns, path):
    value = None
    for depth, step in enumerate(path):
        if depth == 0:
            if 'a' not in step or step['a'] not in user_ns:
                raise LookupError('%s is no longer defined' % step.get('a'))
            value = user_ns[step['a']]
        elif 'a' in step:
            value = (_attrs(value) or {})[step['a']]
        elif _kind(value) == 'dataframe':
            value = value.iloc[:, step['i']]
        elif isinstance(value, (list, tuple)):
            value = value[step['i']]
        elif isinstance(value, dict):
            value = _nth(value.values(), step['i'])
        else:
            value = _nth(iter(value), step['i'])
    return value


def _list(user_ns, path):
    items = _top(user_ns) if not path else _children(_resolve(user_ns, path))
    entries = []
    total = 0
    for name, value, step in items:
        total += 1
        if len(entries) < MAX_ENTRIES:
            try:
                entries.append(_describe(name, value, step))
            except Exception as e:  # a broken __repr__ must not hide the other variables
                entries.append({'name': _cut(name), 'type': type(value).__name__, 'size': '',
                                'value': _cut('<%s: %s>' % (type(e).__name__, e)), 'expandable': False,
                                'step': step})
    return {'entries': entries, 'total': total}


def _as_frame(value):
    kind = _kind(value)
    pd = _pd()
    if kind == 'dataframe':
        return value
    if kind == 'series':
        return value.to_frame()
    if kind == 'ndarray' and pd is not None:
        return pd.DataFrame(value if value.ndim == 2 else value.reshape(-1, 1), copy=False)
    raise TypeError('%s is not a table' % type(value).__name__)


def _order(frame, sort):
    key = (id(frame), frame.shape, sort['column'], sort['ascending'])
    for k, ref, order in _sorts:
        if k == key and ref is frame:
            return order
    col = frame.iloc[:, sort['column']].reset_index(drop=True)
    order = col.sort_values(ascending=sort['ascending'], kind='stable', na_position='last').index.to_numpy()
    _sorts.insert(0, (key, frame, order))
    del _sorts[2:]
    return order


def _cell(v):
    return _cut(repr(v) if isinstance(v, float) else str(v))


def _table(user_ns, path, start, count, sort):
    value = _resolve(user_ns, path)
    frame = _as_frame(value)
    n = frame.shape[0]
    start = max(0, min(start, n))
    end = min(n, start + max(0, count))
    if sort is not None:
        page = frame.iloc[_order(frame, sort)[start:end]]
    else:
        page = frame.iloc[start:end]
    rows = [[_cell(v) for v in row] for row in page.itertuples(index=False, name=None)]
    return {
        'rowCount': int(n),
        'columns': [{'name': _cut(c), 'dtype': str(t)} for c, t in zip(frame.columns, frame.dtypes)],
        'start': start,
        'labels': [_cut(i) for i in page.index],
        'rows': rows,
    }


class _Answer:
    def __init__(self, payload):
        self.payload = payload

    def _repr_json_(self):
        return self.payload

    def __repr__(self):
        return ''


def answer(request_json, user_ns):
    request = _json.loads(request_json)
    try:
        if request['op'] == 'list':
            out = {'ok': _list(user_ns, request['path'])}
        else:
            out = {'ok': _table(user_ns, request['path'], request['start'], request['count'], request.get('sort'))}
    except Exception as e:
        out = {'error': '%s: %s' % (type(e).__name__, e)}
    return _Answer(out)
`;

/** Bump when PYTHON_SOURCE changes, so a kernel that installed an older copy installs this one. */
const MODULE_NAME = '_kernel_islands_inspect_1';

/** The name of the user expression that carries the answer. */
export const PYTHON_ANSWER = 'kernel_islands';

/**
 * The user expression answering `request`: it installs the module if this kernel lacks it (the source travels
 * each time, a few kilobytes), then asks it. Evaluated by the kernel with the user's globals, after empty code.
 */
export function pythonInspectionExpression(request: InspectionRequest): string {
  const name = JSON.stringify(MODULE_NAME);
  const install =
    `(lambda m: (exec(${JSON.stringify(PYTHON_SOURCE)}, m.__dict__), s.modules.__setitem__(${name}, m), m)[2])` +
    `(__import__('types').ModuleType(${name}))`;
  const req = JSON.stringify(JSON.stringify(request));
  return `(lambda s: (s.modules.get(${name}) or ${install}).answer(${req}, globals()))(__import__('sys'))`;
}
