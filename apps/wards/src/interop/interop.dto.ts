import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

export class CreateHl7SubscriptionDto {
  @ApiProperty({ example: 'lis-adt', description: 'A name the subscribing system is known by in this branch' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/, { message: 'name must be 1–100 letters, digits, spaces, . _ or -, starting with a letter or digit' })
  name!: string;
}

export class AcknowledgeHl7Dto {
  @ApiProperty({ example: 42, description: 'The last sequence number the subscriber has processed; every message up to it counts as read' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  upToSeq!: number;
}
