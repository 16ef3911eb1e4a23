import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { AdmissionsRepository } from '../data/admissions.repository';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { messageView, type FeedMessageView } from './feed-views';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** Every HL7 message about one admission, in feed order. */
@Injectable()
export class ListAdmissionHl7MessagesUseCase {
  constructor(
    private readonly db: Database,
    private readonly feed: Hl7FeedRepository,
    private readonly admissions: AdmissionsRepository,
  ) {}

  execute(caller: Caller, admissionId: string): Promise<FeedMessageView[]> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        if (!(await this.admissions.exists(tx, admissionId))) throw notFound('The admission', 'admission-not-found');
        return (await this.feed.messagesOfAdmission(tx, caller.branchId, admissionId)).map(messageView);
      },
      { readOnly: true },
    );
  }
}
