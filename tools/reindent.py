#!/usr/bin/env python3
"""Restore a Swagger 2.0 / OpenAPI 3.0 YAML document whose indentation was flattened.

Every line of the damaged text starts at column 0, so the nesting is rebuilt from the
structure of the format.  The restorer keeps a stack of open contexts, each of a known
kind (document, path item, operation, parameter, schema, properties map, ...):

* a `key:` line goes into the innermost open mapping for which the key is valid and not
  yet present; a `- ` line starts an item of the innermost open list that can hold it;
* a key with an empty value opens a mapping or list when the next line fits into it,
  otherwise its value is null (`default:`);
* block scalars (`>-`, `|`) continue until the next line that fits the structure, quoted
  scalars until their closing quote;
* example, default and enum values are instances of a schema and take the keys that the
  schema declares.  Schemas named by `$ref` are looked up in the result of a first pass
  (with the hand-written completion appended), so the document is restored twice;
* a free-form value (unknown schema) only takes a key that fits nowhere else, and a key
  that the schema does not declare goes into the innermost example value as a last resort.

Usage:  reindent.py SEED OUT [--start LINE] [--ordered] [--hint N:SKIP ...]

The seed is read from the line equal to --start on; trailing "# ..." notes and a last line
cut off inside a quoted string are dropped.  OUT gets a header comment, the restored text
and END_MARK.  If OUT already holds END_MARK, the hand-written text after it is kept.
--ordered: the seed was written by a serializer with a fixed key order (Microsoft.OpenApi,
as in Azure API Management exports; GRAMMAR lists keys in that order), so a key never
goes into a mapping that already holds a key written after it.
--hint N:SKIP: for the key on seed line N, pass over the first SKIP valid mappings
(for the rare lines the structure leaves ambiguous).
A properties map does not take the name of a schema that is `$ref`erenced anywhere (the
hand-written part included) once it has one entry: that name starts the next definition.

specs/ were made with (the hand-written part was added after the first run):
  reindent.py seeds/000_45808a47ffddfe9e.txt specs/azure-openai-authoring-2023-05-15.yaml
  reindent.py seeds/004_6a93a8c952121c1f.txt specs/azure-openai-inference-2024-02-01.yaml \
      --start 'openapi: 3.0.1' --ordered --hint 1193:2 --hint 1198:1 --hint 1352:1
where the hints say: `nullable: true` (line 1193) belongs to `logprobs`, not to `text_offset`
or its items; `usage:` (1198) is a property of the response, not of a choice; the long
`description` (1352) belongs to `input`, not to its array variant.
"""
import argparse
import os
import re
import sys
from pathlib import Path

import yaml

END_MARK = "# ---- end of the seed's own text; the rest was completed by hand ----"

# Keys of each kind of object, with the kind of their value: none = scalar, Kind = object,
# [Kind] = list of Kind, [] = list of scalars, @ = instance of the schema in force,
# Any = free-form value.
SCHEMA = ('$ref title multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength '
          'minLength pattern maxItems minItems uniqueItems maxProperties minProperties required:[] '
          'enum:[@] type allOf:[Schema] anyOf:[Schema] oneOf:[Schema] not:Schema items:Schema '
          'properties:Props additionalProperties:Schema description format default:@ nullable '
          'discriminator:Disc readOnly writeOnly xml:Any externalDocs:Doc example:@ deprecated '
          'x-ms-enum:XEnum x-nullable x-ms-discriminator-value x-ms-client-name '
          'x-ms-mutability:[] x-ms-identifiers:[]')
XMS_OP = ' x-ms-examples:XExamples x-ms-long-running-operation x-ms-pageable:Any'
XMS_PARAM = (' x-ms-enum:XEnum x-ms-parameter-location x-ms-skip-url-encoding '
             'x-ms-client-default x-ms-client-name')
GRAMMAR = {
    'Root': 'swagger openapi info:Info host basePath schemes:[] consumes:[] produces:[] '
            'servers:[Server] paths:Paths definitions:Defs parameters:Params responses:Resps '
            'components:Components securityDefinitions:SecSchemes security:[Any] tags:[Tag] '
            'externalDocs:Doc x-ms-parameterized-host:Host',
    'Info': 'title description termsOfService contact:Any license:Any version',
    'Doc': 'description url',
    'Tag': 'name description externalDocs:Doc',
    'Server': 'url description variables:Any',
    'Host': 'hostTemplate useSchemePrefix positionInOperation parameters:[Param]',
    'PathItem': '$ref summary description get:Op put:Op post:Op delete:Op options:Op head:Op '
                'patch:Op trace:Op servers:[Server] parameters:[Param]',
    'Op': 'tags:[] summary description externalDocs:Doc operationId parameters:[Param] '
          'requestBody:Body responses:Responses callbacks:Any deprecated security:[Any] '
          'servers:[Server]' + XMS_OP,
    'Param': '$ref name in description required deprecated allowEmptyValue style explode '
             'allowReserved schema:Schema examples:Examples example:@' + XMS_PARAM,
    'Body': '$ref description content:Content required',
    'MediaType': 'schema:BodySchema example:@ examples:Examples encoding:Any',
    'Example': '$ref summary description value:@ externalValue',
    'Response': '$ref description headers:Headers content:Content links:Any',
    'Header': '$ref description required deprecated schema:Schema example:@ examples:Examples',
    'Components': 'schemas:Defs responses:Resps parameters:Params examples:Examples '
                  'requestBodies:Bodies headers:Headers securitySchemes:SecSchemes links:Any '
                  'callbacks:Any',
    'SecScheme': 'type description name in scheme bearerFormat flows:Any openIdConnectUrl '
                 'flow authorizationUrl tokenUrl scopes:Any',
    'Schema': SCHEMA,
    # A media type's own `example` follows its schema (OpenAPI 3 / APIM style).
    'BodySchema': SCHEMA.replace(' example:@', ''),
    'Disc': 'propertyName mapping:Any',
    'XEnum': 'name modelAsString values:[XEnumValue]',
    'XEnumValue': 'name value description',
    'RefOnly': '$ref',
}
# Swagger 2.0 differs in these kinds.
SWAGGER2 = {
    'Op': 'tags:[] summary description externalDocs:Doc operationId consumes:[] produces:[] '
          'parameters:[Param] responses:Responses schemes:[] deprecated security:[Any]' + XMS_OP,
    'Param': '$ref name in description required schema:Schema type format allowEmptyValue '
             'items:Schema collectionFormat default:@ maximum minimum maxLength minLength '
             'pattern enum:[@]' + XMS_PARAM,
    'Response': '$ref description schema:Schema headers:Headers examples:Any',
    'Header': 'description type format items:Schema collectionFormat default:@ enum:[@] '
              'x-ms-enum:XEnum',
}
KINDS = {v: {kind: {it.partition(':')[0]: it.partition(':')[2] or 'str' for it in spec.split()}
             for kind, spec in {**GRAMMAR, **extra}.items()}
         for v, extra in (('3', {}), ('2', SWAGGER2))}
# Maps of named objects: kind of the objects and the pattern their names match.
NAMED = {'Paths': ('PathItem', '/'), 'Responses': ('Response', r'default$|\d(\d\d|XX)$'),
         'Content': ('MediaType', r'[^/\s]+/'), 'Defs': ('Schema', ''), 'Props': ('Schema', ''),
         'Params': ('Param', ''), 'Resps': ('Response', ''), 'Bodies': ('Body', ''),
         'Headers': ('Header', ''), 'Examples': ('Example', ''),
         'SecSchemes': ('SecScheme', ''), 'XExamples': ('RefOnly', '')}

KEY_RE = re.compile(r'''(?P<key>'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s#'"\[\]{},&*!|>%@`-][^#]*?)'''
                    r'''\s*:(?:\s+(?P<val>.*?))?\s*$''')
REF_RE = re.compile(r'''#/(?:definitions|components/schemas)/([^'"/\s]+)''')


class Line:
    """One seed line: `key: value`, `key:`, `- key: value`, `- scalar` or other text."""
    def __init__(self, no, text):
        self.no, self.text = no, text.strip()
        self.dash = self.text == '-' or self.text.startswith('- ')
        self.body = self.text[2:].strip() if self.dash else self.text
        m = KEY_RE.match(self.body)
        self.key = self.val = None
        if m:
            key = m.group('key')
            self.key = yaml.safe_load(key) if key[0] in '\'"' else key
            self.val = m.group('val') or None
        self.empty = self.key is not None and self.val is None
        self.structural = self.dash or self.key is not None


class Stuck(Exception):
    """A line that fits nowhere: an earlier choice was wrong (or the text is not valid)."""


class Frame:
    """An open mapping (a grammar kind, a NAMED kind or 'inst') or list ('seq')."""
    def __init__(self, kind, node, indent, parent=None, key=None, schema=None, item=None):
        self.kind, self.node, self.indent, self.parent, self.key = kind, node, indent, parent, key
        self.schema = schema  # 'inst': the schema this value is an instance of
        self.item = item      # 'seq': (kind, schema) of its items
        self.closed = False   # a mapping holding `$ref` takes no other key


def open_quote(value):
    """The quote character if value starts a quoted scalar not closed on this line."""
    if not value or value[0] not in '"\'':
        return None
    return None if closes(value[0], value[1:]) else value[0]


def closes(q, s):
    i = 0
    while i < len(s):
        if (q == '"' and s[i] == '\\') or (s[i] == q == "'" and s[i + 1:i + 2] == "'"):
            i += 2  # an escape
        elif s[i] == q:
            return True
        else:
            i += 1
    return False


class Restorer:
    def __init__(self, refdoc, defnames, ordered=False, hints=None, choices=None):
        self.refdoc, self.defnames, self.ordered = refdoc, defnames, ordered
        self.hints = hints or {}
        self.choices, self.decisions = choices or {}, []  # option taken at / offered by lines
        self.stack = [Frame('Root', {}, 0, key='')]
        self.out, self.cont, self.dropped = [], None, []

    # --- schemas of example values ---
    def lookup(self, ref):
        node = self.refdoc
        for part in ref[2:].split('/') if ref.startswith('#/') else [None]:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def shape(self, schema, seen=()):
        """(properties, additional, items) of an instance of schema, or None if unknown."""
        if not isinstance(schema, dict):
            return None
        ref = schema.get('$ref')
        if isinstance(ref, str):
            if ref in seen:
                return {}, None, None
            return self.shape(self.lookup(ref), seen + (ref,))
        disc = schema.get('discriminator')
        subs = [s for k in ('allOf', 'oneOf', 'anyOf') for s in schema.get(k) or []]
        if isinstance(disc, dict):  # the subtypes of a polymorphic schema
            subs += [{'$ref': r} for r in (disc.get('mapping') or {}).values()]
        props = dict(schema.get('properties') or {})
        extra, items = schema.get('additionalProperties'), schema.get('items')
        kind = schema.get('type')
        if not (subs or props or extra or items or kind):
            return None  # any value
        for sub in subs:
            sh = self.shape(sub, seen)
            if sh is None:
                return None
            for k, v in sh[0].items():
                props.setdefault(k, v)
            extra, items = extra or sh[1], items if items is not None else sh[2]
        if kind == 'object' and not props and extra is None:
            extra = True  # an object of any keys
        if kind == 'array' and items is None:
            items = {}
        return props, extra, items

    def schema_of(self, f):
        """The schema whose instances the `@` keys of frame f hold."""
        if f is None:
            return None
        if f.kind in ('Schema', 'BodySchema', 'inst'):
            return f.node if f.kind != 'inst' else f.schema
        if f.kind in ('Param', 'Header'):
            return f.node.get('schema', f.node)
        if f.kind == 'MediaType':
            return f.node.get('schema')
        if f.kind == 'Example' and f.parent:
            return self.schema_of(f.parent.parent)
        return None

    def child(self, f, key):
        """(kind, schema) of the value of key in frame f."""
        if f.kind == 'inst':
            sh = self.shape(f.schema)
            if sh is None:
                return 'inst', None
            return 'inst', sh[0].get(key, sh[1] if isinstance(sh[1], dict) else None)
        if f.kind in NAMED:
            return NAMED[f.kind][0], None
        kind = self.kinds[f.kind][key].replace('Any', 'inst')
        return kind.replace('@', 'inst'), self.schema_of(f) if '@' in kind else None

    # --- validity ---
    def rank(self, f, key, empty):
        """3: key belongs in mapping f, 2: f is free-form, 1: f is an example value whose
        schema does not declare key, 0: key cannot go into f."""
        if f.kind == 'seq' or f.closed or key in f.node:
            return 0
        if f.kind == 'inst':
            sh = self.shape(f.schema)
            return 2 if sh is None else 3 if key in sh[0] or sh[1] else 1
        if f.kind in NAMED:
            if not empty or not re.match(NAMED[f.kind][1], str(key)):
                return 0
            # a schema name referenced elsewhere closes the properties map it follows
            if f.kind == 'Props' and f.node and key in self.defnames and self.inside(f, 'Defs'):
                return 0
            if f.kind == 'Props' and self.required_further_out(f, key):
                return 0
            return 3
        spec = self.kinds[f.kind]
        if key not in spec or (key == '$ref' and f.node):
            return 0
        if self.ordered:
            order = list(spec)
            if any(order.index(k) > order.index(key) for k in f.node if k in spec):
                return 0
        return 3

    def required_further_out(self, props, key):
        """Is key a required, not yet present property of a schema enclosing the one that
        owns the properties map props (and not required by that one)?"""
        if key in (props.parent.node.get('required') or []):
            return False
        f = props.parent.parent
        while f is not None:
            if (f.kind in ('Schema', 'BodySchema') and key in (f.node.get('required') or [])
                    and key not in (f.node.get('properties') or {key: 0})):
                return True
            f = f.parent
        return False

    def inside(self, f, kind):
        while f is not None and f.kind != kind:
            f = f.parent
        return f is not None

    def item_rank(self, item, line, parent=None):
        """How well a `- ` line fits as an item of a list of item = (kind, schema)."""
        kind, schema = item
        if line.key is None:
            return 3 if kind in ('str', 'inst') else 0
        if kind == 'str':
            return 0
        return self.rank(Frame(kind, {}, 0, parent, schema=schema), line.key, line.empty)

    def opens(self, f, key, nxt, need=2):
        """'map' or 'seq' if the value of key in f is a container that takes line nxt."""
        kind, schema = self.child(f, key)
        if nxt is None or kind == 'str':
            return None
        if nxt.dash:
            if kind == 'inst':
                sh = self.shape(schema)
                item = ('inst', None if sh is None else sh[2])
                if sh is not None and sh[2] is None:
                    return None
            elif kind.startswith('['):
                item = ((kind[1:-1] or 'str'), schema)
            else:
                return None
            return 'seq' if self.item_rank(item, nxt, f) >= need else None
        if kind.startswith('['):
            return None
        fresh = Frame(kind, {}, 0, f, schema=schema)
        return 'map' if self.rank(fresh, nxt.key, nxt.empty) >= need else None

    def fits(self, upto, nxt, need=3):
        """Does line nxt fit (rank >= need) into one of the frames stack[:upto+1]?"""
        for f in self.stack[upto::-1]:
            if nxt.dash and f.kind == 'seq' and self.item_rank(f.item, nxt, f) >= need:
                return True
            if not nxt.dash and self.rank(f, nxt.key, nxt.empty) >= need:
                return True
        return False

    # --- placing lines ---
    def candidates(self, line):
        ranked = [(self.rank(f, line.key, line.empty), i) for i, f in enumerate(self.stack)]
        ranked = sorted((r for r in ranked if r[0]), key=lambda r: (-r[0], -r[1]))
        return [i for _, i in ranked][self.hints.get(line.no, 0):]

    def place_key(self, line, nxt, item_of=None):
        cands = [len(self.stack) - 1] if item_of else self.candidates(line)
        if not cands:
            raise Stuck(line, self.path())
        options = [(cands[0], None)]
        if line.empty:  # open a container, or leave the value null?
            options = []
            for i in cands:
                f = self.stack[i]
                container = self.opens(f, line.key, nxt)
                if container:
                    options.append((i, container))
                elif self.child(f, line.key)[0] in ('str', 'inst') and nxt is not None:
                    f.node[line.key] = None  # as null: does the next line fit into f?
                    if self.fits(i, nxt) if nxt.dash else self.rank(f, nxt.key, nxt.empty) == 3:
                        options.append((i, None))
                    del f.node[line.key]
            fits = nxt is None or self.fits(len(self.stack) - 1, nxt)
            # else: the innermost place, null unless nothing else takes the next line
            last = (cands[0], None if fits else
                    self.opens(self.stack[cands[0]], line.key, nxt, need=1))
            options += [last] if last not in options else []
            self.decisions.append((line.no, len(options)))
        target, container = options[self.choices.get(line.no, 0)]
        f = self.stack[target]
        del self.stack[target + 1:]
        prefix = '' if not item_of else ' ' * item_of.indent + '- '
        self.out.append((prefix or ' ' * f.indent) + line.body)
        if line.key == '$ref' and f.kind != 'inst':
            f.closed = True
        if container:
            kind, schema = self.child(f, line.key)
            node = {} if container == 'map' else []
            if container == 'seq':
                if kind == 'inst':
                    sh = self.shape(schema)
                    item = ('inst', sh and sh[2])
                else:
                    item = (kind[1:-1] or 'str', schema if kind == '[inst]' else None)
                kind, schema = 'seq', None
            else:
                item = None
            f.node[line.key] = node
            self.stack.append(Frame(kind, node, f.indent + 2, f, line.key, schema, item))
        else:
            f.node[line.key] = self.scalar(line.val, f.indent + 2)

    def place_item(self, line, nxt):
        ranked = [(self.item_rank(f.item, line, f), i) for i, f in enumerate(self.stack)
                  if f.kind == 'seq']
        ranked = sorted((r for r in ranked if r[0]), key=lambda r: (-r[0], -r[1]))
        if not ranked:
            raise Stuck(line, self.path())
        seq = self.stack[ranked[0][1]]
        del self.stack[ranked[0][1] + 1:]
        if line.key is None:
            self.out.append(' ' * seq.indent + line.text)
            seq.node.append(self.scalar(line.body, seq.indent + 2))
            return
        kind, schema = seq.item
        node = {}
        seq.node.append(node)
        self.stack.append(Frame(kind, node, seq.indent + 2, seq, len(seq.node) - 1, schema))
        self.place_key(line, nxt, item_of=seq)

    def scalar(self, text, indent):
        """Parse a scalar value; note when the following lines continue it."""
        text = text or ''
        quote = open_quote(text)
        if quote:
            self.cont = ('quote', indent, quote, len(self.out) - 1, self.stack[-1])
        elif re.match(r'[|>][-+0-9]*\s*(#.*)?$', text):
            self.cont = ('block', indent, None, None, None)
        else:
            self.cont = ('plain', indent, None, None, None)
        try:
            return yaml.safe_load(text) if not quote else text
        except yaml.YAMLError:
            return text

    def run(self, lines):
        lines = [Line(no, t) for no, t in lines if t.strip()]
        self.kinds = KINDS['2' if lines[0].key == 'swagger' else '3']
        for n, line in enumerate(lines):
            nxt = lines[n + 1] if n + 1 < len(lines) else None
            if self.cont:
                mode, indent, quote = self.cont[:3]
                if mode == 'quote':
                    self.out.append(' ' * indent + line.text)
                    if closes(quote, line.text):
                        self.cont = None
                    continue
                top = len(self.stack) - 1
                if not line.structural or (mode == 'block' and not self.fits(top, line, 2)):
                    self.out.append(' ' * indent + line.text)
                    continue
                self.cont = None
            if line.dash:
                self.place_item(line, nxt)
            elif line.key is not None:
                self.place_key(line, nxt)
            else:
                raise Stuck(line, self.path())
        if self.cont and self.cont[0] == 'quote':  # the text was cut inside a quoted string
            start, frame = self.cont[3], self.cont[4]
            self.dropped = self.out[start:]
            del self.out[start:]
            frame.node.popitem() if isinstance(frame.node, dict) else frame.node.pop()
        return self

    def path(self):
        out = ''
        for f in self.stack[1:]:
            out += f'[{f.key}]' if isinstance(f.key, int) else ('.' if out else '') + str(f.key)
        return out or '(top)'


def restore(lines, refdoc, *options):
    """Restore lines, backtracking to the latest empty-valued key before a line that fits
    nowhere and taking its next option there."""
    choices = {}
    while True:
        r = Restorer(refdoc, *options, choices=choices)
        try:
            return r.run(lines)
        except Stuck as e:
            line, where = e.args
            for no, count in reversed(r.decisions):
                taken = choices.get(no, 0)
                if no < line.no and taken + 1 < count:
                    choices = {n: c for n, c in choices.items() if n < no}
                    choices[no] = taken + 1
                    break
            else:
                sys.exit(f'seed line {line.no}: no place for {line.text!r} in {where}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('seed')
    ap.add_argument('out')
    ap.add_argument('--start', help='first line of the YAML text in the seed')
    ap.add_argument('--ordered', action='store_true',
                    help='keys follow the Microsoft.OpenApi order')
    ap.add_argument('--hint', action='append', default=[], metavar='N:SKIP')
    args = ap.parse_args()

    lines = list(enumerate(Path(args.seed).read_text(encoding='utf-8').splitlines(), 1))
    if args.start:
        lines = lines[next(i for i, (_, t) in enumerate(lines) if t.strip() == args.start):]
    while lines and lines[-1][1].lstrip().startswith('#'):  # truncation notes
        lines.pop()
    tail = []
    if os.path.exists(args.out):
        text = Path(args.out).read_text(encoding='utf-8').splitlines()
        marks = [i for i, t in enumerate(text) if t.strip() == END_MARK]
        tail = text[marks[0] + 1:] if marks else []
    defnames = set(REF_RE.findall('\n'.join([t for _, t in lines] + tail)))
    hints = {int(n): int(s) for n, s in (h.split(':') for h in args.hint)}

    first = restore(lines, {}, defnames, args.ordered, hints)
    refdoc = yaml.safe_load('\n'.join(first.out + tail))
    r = restore(lines, refdoc, defnames, args.ordered, hints)

    last = lines[-1 - len(r.dropped)][0]
    seed = os.path.basename(args.seed)
    header = [f'# Restored by tools/reindent.py from the damaged seed {seed}, whose',
              f'# indentation was flattened and whose text breaks off in {r.path()}.',
              '# Everything after the "end of the seed\'s own text" comment was completed by hand.']
    mark = ' ' * r.stack[-1].indent + END_MARK
    Path(args.out).write_text('\n'.join(header + r.out + [mark] + tail) + '\n', encoding='utf-8')
    print(f'{args.out}: seed lines {lines[0][0]}-{last} restored, ending in {r.path()}',
          file=sys.stderr)
    for t in r.dropped:
        print(f'dropped unfinished line: {t.strip()[:70]}...', file=sys.stderr)


if __name__ == '__main__':
    main()
