/** Typed builders for request bodies: `aPatient().withAbha().build()`. */
let counter = 0;

function uniquePhone(): string {
  counter++;
  const n = (Date.now() % 1_000_000) * 100 + (counter % 100) + Math.floor(Math.random() * 100);
  return `+919${String(n).padStart(9, '0').slice(-9)}`;
}

export interface PatientBody {
  name: string;
  sex: 'M' | 'F' | 'O' | 'U';
  dateOfBirth?: string;
  ageYears?: number;
  phone?: string;
  abhaNumber?: string;
  abhaAddress?: string;
  givenName?: string;
  familyName?: string;
  address?: { line?: string; city?: string; state?: string; pincode?: string };
  emergencyContact?: { name: string; phone: string; relation?: string };
  confirmedNotDuplicate?: boolean;
}

const FIRST = ['Aarav', 'Vivaan', 'Aditya', 'Ishaan', 'Kabir', 'Ananya', 'Diya', 'Saanvi', 'Meera', 'Kavya', 'Rohan', 'Priya', 'Arjun', 'Lakshmi', 'Farhan'];
const LAST = ['Sharma', 'Verma', 'Iyer', 'Reddy', 'Nair', 'Patel', 'Khan', 'Singh', 'Das', 'Mukherjee', 'Menon', 'Gupta', 'Joshi', 'Kulkarni'];

export class PatientBuilder {
  private body: PatientBody;

  constructor() {
    counter++;
    const year = 1950 + (counter * 7) % 60;
    const month = String(1 + (counter % 12)).padStart(2, '0');
    const day = String(1 + (counter % 28)).padStart(2, '0');
    this.body = {
      name: `${FIRST[counter % FIRST.length]} ${LAST[(counter * 3) % LAST.length]} ${counter}`,
      sex: counter % 2 ? 'F' : 'M',
      dateOfBirth: `${year}-${month}-${day}`,
      phone: uniquePhone(),
    };
  }

  named(name: string): this {
    this.body.name = name;
    return this;
  }
  born(dateOfBirth: string): this {
    this.body.dateOfBirth = dateOfBirth;
    delete this.body.ageYears;
    return this;
  }
  aged(years: number): this {
    this.body.ageYears = years;
    delete this.body.dateOfBirth;
    return this;
  }
  withPhone(phone: string): this {
    this.body.phone = phone;
    return this;
  }
  withoutPhone(): this {
    delete this.body.phone;
    return this;
  }
  withAbha(abhaNumber = '91-3772-0586-4665'): this {
    this.body.abhaNumber = abhaNumber;
    return this;
  }
  withAbhaAddress(address: string): this {
    this.body.abhaAddress = address;
    return this;
  }
  sex(sex: PatientBody['sex']): this {
    this.body.sex = sex;
    return this;
  }
  confirmed(): this {
    this.body.confirmedNotDuplicate = true;
    return this;
  }
  with(fields: Partial<PatientBody>): this {
    Object.assign(this.body, fields);
    return this;
  }
  build(): PatientBody {
    return { ...this.body };
  }
}

export const aPatient = () => new PatientBuilder();
