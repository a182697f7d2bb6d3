import { BaseStore, type CreateResult, type UpdateResult } from '../../src/store.js';

/** A store with the required primitives only, none doing anything: no capability declared. */
export class MinimalStore extends BaseStore {
  protected async readRow() {
    return null;
  }
  protected async insertRow(): Promise<CreateResult> {
    return { ok: true, version: 1 };
  }
  protected async updateRow(): Promise<UpdateResult> {
    return { ok: false, reason: 'missing' };
  }
  protected async expireRow(): Promise<UpdateResult> {
    return { ok: false, reason: 'missing' };
  }
  protected async deleteRow() {}
}
