import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { AdmissionsRepository } from '../data/admissions.repository';
import { admissionView } from './admission-view';
import { scopeOf } from '@hms/platform-service';

@Injectable()
export class GetAdmissionUseCase {
  constructor(
    private readonly db: Database,
    private readonly admissions: AdmissionsRepository,
  ) {}

  execute(caller: Caller, admissionId: string) {
    return this.db.transaction(scopeOf(caller), (tx) => admissionView(this.admissions, tx, admissionId), { readOnly: true });
  }
}
