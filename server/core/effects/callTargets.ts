// Resolves what a call expression calls: a function of this file, a built-in with a known effect, or something unknown.
import { ts, skipOuterExpressions, isFunctionLike, textOf } from '../syntax/parse';
import type { ScopeResolver } from '../scope/resolver';
import { rootExpression } from './writeTargets';
import {
  globalFunctions, namespaceCallEffect, moduleCallEffect, isIoNamespace, readOnlyMethods, mutatingMethods, type BuiltinEffect,
} from './builtins';

export type CallTarget =
  | { kind: 'function'; declaration: ts.FunctionLikeDeclaration; name: string; receiver?: ts.Expression }
  | { kind: 'builtin'; effect: BuiltinEffect; name: string; receiver?: ts.Expression }
  | { kind: 'unknown'; name: string; receiver?: ts.Expression };

const builtinConstructors = new Set([
  'Array', 'Object', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Date', 'Error', 'TypeError', 'RangeError', 'RegExp', 'URL',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'Promise',
]);

export function resolveCall(call: ts.CallExpression | ts.NewExpression, resolver: ScopeResolver): CallTarget {
  const sourceFile = resolver.sourceFile;
  const callee = skipOuterExpressions(call.expression);
  const name = textOf(sourceFile, callee);
  if (ts.isNewExpression(call)) {
    if (ts.isIdentifier(callee)) {
      const binding = resolver.resolve(callee);
      if (!binding && builtinConstructors.has(callee.text)) return { kind: 'builtin', effect: { kind: 'pure' }, name };
      if (binding?.kind === 'class' && (ts.isClassDeclaration(binding.declaration) || ts.isClassExpression(binding.declaration))) {
        const constructor = binding.declaration.members.find(ts.isConstructorDeclaration);
        if (constructor) return { kind: 'function', declaration: constructor, name };
        // A class without a constructor runs its field initialisers only; treat them as pure if it extends nothing.
        if (!binding.declaration.heritageClauses) return { kind: 'builtin', effect: { kind: 'pure' }, name };
      }
    }
    return { kind: 'unknown', name };
  }
  if (isFunctionLike(callee)) return { kind: 'function', declaration: callee, name: '(function)' };
  if (ts.isIdentifier(callee)) return resolveNamedFunction(callee, resolver, name);
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
    const receiver = skipOuterExpressions(callee.expression);
    const member = ts.isPropertyAccessExpression(callee) ? callee.name.text
      : ts.isStringLiteralLike(callee.argumentExpression) ? callee.argumentExpression.text : undefined;
    if (member === undefined) return { kind: 'unknown', name, receiver };
    if (ts.isIdentifier(receiver)) {
      const binding = resolver.resolve(receiver);
      if (!binding) {
        const effect = namespaceCallEffect(receiver.text, member);
        if (effect === 'unknown-member') return { kind: 'unknown', name, receiver };
        if (effect) return { kind: 'builtin', effect, name, receiver };
      } else if (binding.kind === 'import' && binding.importedFrom !== undefined) {
        const effect = moduleCallEffect(binding.importedFrom);
        return effect ? { kind: 'builtin', effect, name, receiver } : { kind: 'unknown', name, receiver };
      } else if (binding.kind === 'const' && binding.initializer) {
        const method = objectLiteralMethod(binding.initializer, member);
        if (method) return { kind: 'function', declaration: method, name, receiver };
      }
    }
    const root = rootIdentifier(receiver);
    if (root && root !== receiver && !resolver.resolve(root) && isIoNamespace(root.text)) {
      return { kind: 'builtin', effect: IO, name, receiver }; // process.stdout.write, document.body.append
    }
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
      const method = enclosingClassMethod(call, member);
      if (method) return { kind: 'function', declaration: method, name, receiver };
    }
    const grows = mutatingMethods.get(member);
    if (grows !== undefined) return { kind: 'builtin', effect: { kind: 'mutates-receiver', grows }, name, receiver };
    if (readOnlyMethods.has(member)) return { kind: 'builtin', effect: { kind: 'pure' }, name, receiver };
    return { kind: 'unknown', name, receiver };
  }
  return { kind: 'unknown', name };
}

const IO: BuiltinEffect = { kind: 'io' };

function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  const root = rootExpression(e);
  return ts.isIdentifier(root) ? root : undefined;
}

function resolveNamedFunction(callee: ts.Identifier, resolver: ScopeResolver, name: string): CallTarget {
  const binding = resolver.resolve(callee);
  if (!binding) {
    const effect = globalFunctions.get(callee.text);
    return effect ? { kind: 'builtin', effect, name } : { kind: 'unknown', name };
  }
  if (binding.kind === 'function' && isFunctionLike(binding.declaration) && binding.declaration.body) {
    return { kind: 'function', declaration: binding.declaration, name };
  }
  if (binding.kind === 'function' && isFunctionLike(binding.declaration)) {
    // An overload signature: the implementation is the declaration with a body of the same name.
    const implementation = findImplementation(binding.declaration);
    if (implementation) return { kind: 'function', declaration: implementation, name };
  }
  if (binding.kind === 'const' && binding.initializer) {
    const init = skipOuterExpressions(binding.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { kind: 'function', declaration: init, name };
  }
  if (binding.kind === 'import' && binding.importedFrom !== undefined) {
    const effect = moduleCallEffect(binding.importedFrom);
    if (effect) return { kind: 'builtin', effect, name };
  }
  return { kind: 'unknown', name };
}

function findImplementation(signature: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration | undefined {
  const parent = signature.parent;
  if (!parent || !('statements' in parent)) return undefined;
  const statements = (parent as ts.Block).statements;
  return statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && !!s.body && s.name?.text === signature.name?.getText());
}

function objectLiteralMethod(initializer: ts.Expression, member: string): ts.FunctionLikeDeclaration | undefined {
  const object = skipOuterExpressions(initializer);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== member) continue;
    if (ts.isMethodDeclaration(property) && property.body) return property;
    if (ts.isPropertyAssignment(property)) {
      const value = skipOuterExpressions(property.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
    }
  }
  return undefined;
}

function enclosingClassMethod(node: ts.Node, member: string): ts.FunctionLikeDeclaration | undefined {
  let at: ts.Node | undefined = node.parent;
  // `this` inside an arrow function still means the class; inside a function expression it does not.
  while (at && !ts.isClassLike(at)) {
    if (ts.isFunctionExpression(at) || ts.isFunctionDeclaration(at)) return undefined;
    at = at.parent;
  }
  if (!at) return undefined;
  const methods = at.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && !!m.name && ts.isIdentifier(m.name) && m.name.text === member);
  return methods.length === 1 ? methods[0] : undefined;
}
