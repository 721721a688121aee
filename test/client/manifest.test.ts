/**
 * The extension manifest against the code: the launch schema must describe exactly the adapter's
 * launch-arguments type, every command has the Stepwise category and a localized title, every
 * enum has descriptions, and activation stays narrow.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'client', 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(join(ROOT, 'client', 'package.nls.json'), 'utf8')) as Record<
  string,
  string
>;

interface SchemaProperty {
  type: string;
  enum?: string[];
  enumDescriptions?: string[];
  description?: string;
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    debuggers: {
      configurationAttributes: {
        launch: { required: string[]; properties: Record<string, SchemaProperty> };
      };
    }[];
    configuration: {
      properties: Record<string, SchemaProperty & { markdownDescription?: string }>;
    };
  };
}

/** The properties of an interface in a TypeScript file: name, optional, and a JSON schema type. */
function interfaceProperties(
  file: string,
  name: string,
): Map<string, { optional: boolean; type: string; literals: string[] }> {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found = new Map<string, { optional: boolean; type: string; literals: string[] }>();
  const aliases = new Map<string, ts.TypeNode>();
  source.forEachChild((node) => {
    if (ts.isTypeAliasDeclaration(node)) {
      aliases.set(node.name.text, node.type);
    }
  });
  const schemaType = (type: ts.TypeNode): { type: string; literals: string[] } => {
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const alias = aliases.get(type.typeName.text);
      if (alias) {
        return schemaType(alias);
      }
      return {
        type: type.typeName.text === 'Record' ? 'object' : type.typeName.text,
        literals: [],
      };
    }
    if (ts.isUnionTypeNode(type)) {
      const literals = type.types.map((t) =>
        ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : '?',
      );
      return { type: 'string', literals };
    }
    switch (type.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string', literals: [] };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean', literals: [] };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'number', literals: [] };
      default:
        return { type: ts.SyntaxKind[type.kind], literals: [] };
    }
  };
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && member.type && ts.isIdentifier(member.name)) {
          found.set(member.name.text, {
            optional: member.questionToken !== undefined,
            ...schemaType(member.type),
          });
        }
      }
    }
  });
  return found;
}

void test('the launch schema describes exactly the adapter launch-arguments type', () => {
  const launch = manifest.contributes.debuggers[0]!.configurationAttributes.launch;
  const expected = interfaceProperties(
    join(ROOT, 'protocol', 'debugProtocol.ts'),
    'StepwiseLaunchArguments',
  );
  assert.ok(expected.size >= 10, 'the interface was read');
  assert.deepEqual(Object.keys(launch.properties).sort(), [...expected.keys()].sort());
  assert.deepEqual(
    launch.required.sort(),
    [...expected]
      .filter(([, p]) => !p.optional)
      .map(([n]) => n)
      .sort(),
  );
  for (const [name, property] of expected) {
    const schema = launch.properties[name]!;
    const type = property.type === 'number' ? ['integer', 'number'] : [property.type];
    assert.ok(
      type.includes(schema.type),
      `${name}: schema type ${schema.type}, TypeScript ${property.type}`,
    );
    if (property.literals.length > 0) {
      assert.deepEqual(schema.enum, property.literals, `${name}: enum values`);
    }
  }
});

void test('every command has the Stepwise category and a localized title', () => {
  for (const command of manifest.contributes.commands) {
    assert.equal(command.category, 'Stepwise', command.command);
    const key = /^%(.+)%$/.exec(command.title)?.[1];
    assert.ok(key && nls[key], `${command.command} has a title in package.nls.json`);
  }
});

void test('every enum has a description per value and every localized string exists', () => {
  const launch = manifest.contributes.debuggers[0]!.configurationAttributes.launch.properties;
  const all = [
    ...Object.values(launch),
    ...Object.values(manifest.contributes.configuration.properties),
  ];
  for (const property of all) {
    if (property.enum) {
      assert.equal(property.enumDescriptions?.length, property.enum.length);
    }
  }
  const keys = JSON.stringify(manifest).match(/%[\w.]+%/g) ?? [];
  for (const key of keys) {
    assert.ok(nls[key.slice(1, -1)], `${key} is in package.nls.json`);
  }
});

void test('activation is narrow: never on startup or for every file', () => {
  assert.ok(!manifest.activationEvents.includes('*'));
  assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
  assert.ok(
    manifest.activationEvents.some(
      (e) => e.startsWith('workspaceContains:') && e.includes('.pipeline.'),
    ),
  );
});
