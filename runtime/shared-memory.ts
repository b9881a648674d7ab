// Typed arrays on a SharedArrayBuffer: workers read and write them in place, nothing is copied.

import type { NumericArray } from './protocol';

type NumericArrayConstructor<T extends NumericArray> = { new (buffer: SharedArrayBuffer, byteOffset?: number, length?: number): T; BYTES_PER_ELEMENT: number };

/** A buffer rounded up to whole 64-byte cache lines, so the last chunk never shares a line with anything else. */
function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(64, Math.ceil(bytes / 64) * 64));
}

function allocate<T extends NumericArray>(Type: NumericArrayConstructor<T>, lengthOrValues: number | ArrayLike<number>): T {
  const length = typeof lengthOrValues === 'number' ? lengthOrValues : lengthOrValues.length;
  if (!(Number.isInteger(length) && length >= 0)) throw new RangeError(`length must be a non-negative integer, got ${length}`);
  const array = new Type(sharedBuffer(length * Type.BYTES_PER_ELEMENT), 0, length);
  if (typeof lengthOrValues !== 'number') (array as unknown as { set(v: ArrayLike<number>): void }).set(lengthOrValues);
  return array;
}

/** A Float64Array in shared memory, zero-filled or copied from `values`. */
export const sharedFloat64Array = (lengthOrValues: number | ArrayLike<number>): Float64Array => allocate(Float64Array, lengthOrValues);
export const sharedFloat32Array = (lengthOrValues: number | ArrayLike<number>): Float32Array => allocate(Float32Array, lengthOrValues);
export const sharedInt32Array = (lengthOrValues: number | ArrayLike<number>): Int32Array => allocate(Int32Array, lengthOrValues);
export const sharedUint8Array = (lengthOrValues: number | ArrayLike<number>): Uint8Array => allocate(Uint8Array, lengthOrValues);

/** A shared array of the same element type and length as `like`, for outputs of a map over it. */
export function sharedLike<T extends NumericArray>(like: T): T {
  return allocate(like.constructor as unknown as NumericArrayConstructor<T>, like.length);
}

export function isNumericArray(value: unknown): value is NumericArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

export function isShared(value: unknown): boolean {
  return ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer;
}

/**
 * How an input reaches the workers: 'shared' (a typed array on a SharedArrayBuffer, read and written in place)
 * or 'copy' (plain arrays and ordinary typed arrays: each chunk is copied in, results are copied back).
 */
export function transferMode(value: unknown): 'shared' | 'copy' {
  return isShared(value) ? 'shared' : 'copy';
}

const typedArrayTypes: Record<string, NumericArrayConstructor<NumericArray> & { new (length: number): NumericArray }> = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray,
} as never;

/** An ordinary (unshared) typed array by constructor name; used to rebuild outputs in workers. */
export function typedArrayOf(typeName: string, length: number): NumericArray {
  const Type = typedArrayTypes[typeName];
  if (!Type) throw new TypeError(`unsupported typed array type '${typeName}'`);
  return new Type(length);
}

// Workers receive a fresh typed-array object (and a fresh SharedArrayBuffer object) with every message, even
// for the same memory, so they cannot tell two messages about one array apart by identity. A key made here,
// on the thread that owns the buffer objects, lets a worker recognise an array it has seen and keep a loop
// compiled around it (see worker.ts, boundKernel).

const bufferIds = new WeakMap<SharedArrayBuffer, number>();
let nextBufferId = 1;
const freedListeners = new Set<(bufferId: number) => void>();
const freed = new FinalizationRegistry<number>((bufferId) => {
  for (const listener of freedListeners) listener(bufferId);
});

/**
 * `bufferId:type:byteOffset:length` for a typed array on a SharedArrayBuffer: equal keys mean the same memory
 * viewed the same way. The buffer id is stable for the life of the buffer object on this thread.
 */
export function sharedViewKey(view: NumericArray): string {
  const buffer = view.buffer as SharedArrayBuffer;
  let id = bufferIds.get(buffer);
  if (id === undefined) {
    id = nextBufferId++;
    bufferIds.set(buffer, id);
    freed.register(buffer, id);
  }
  return `${id}:${view.constructor.name}:${view.byteOffset}:${view.length}`;
}

/** The buffer id at the front of a sharedViewKey. */
export function bufferIdOf(key: string): number {
  return Number.parseInt(key, 10);
}

/** Calls `listener(bufferId)` when a buffer that got a key is garbage collected here; returns an unsubscribe. */
export function onSharedBufferFreed(listener: (bufferId: number) => void): () => void {
  freedListeners.add(listener);
  return () => freedListeners.delete(listener);
}
