import { registrationLockKeys } from './registration';

describe('registrationLockKeys', () => {
  it('locks the phone, the ABHA number and the name with the birth date, in the branch, in a fixed order', () => {
    expect(registrationLockKeys('b1', { phone: '+919812300001', abhaNumber: '91377205864665', phoneticName: 'hina ptl', dateOfBirth: '1980-05-02' })).toEqual([
      'b1:abha:91377205864665',
      'b1:name-dob:hina ptl:1980-05-02',
      'b1:phone:+919812300001',
    ]);
  });

  it('takes no phone or ABHA lock for a registration without them', () => {
    expect(registrationLockKeys('b1', { phoneticName: 'x', dateOfBirth: '2000-01-01' })).toEqual(['b1:name-dob:x:2000-01-01']);
  });
});
