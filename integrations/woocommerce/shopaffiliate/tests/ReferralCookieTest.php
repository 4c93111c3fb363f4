<?php
/**
 * Tests for ShopAffiliate_Referral_Cookie.
 *
 * @package ShopAffiliate
 */

use PHPUnit\Framework\TestCase;

final class ReferralCookieTest extends TestCase {

	const CLICK = '3f2b8c1e-9d4a-4e5b-8c7d-0a1b2c3d4e5f';
	const NOW   = 1710430082;

	public function test_encodes_code_click_and_time_separated_by_pipes(): void {
		$cookie = ShopAffiliate_Referral_Cookie::create( 'jane', self::CLICK, self::NOW );
		$this->assertSame( 'jane|' . self::CLICK . '|1710430082', $cookie->encode() );
	}

	public function test_encodes_missing_click_as_empty_field(): void {
		$this->assertSame( 'jane||1710430082', ShopAffiliate_Referral_Cookie::create( 'jane', null, self::NOW )->encode() );
	}

	public function test_round_trip(): void {
		$decoded = ShopAffiliate_Referral_Cookie::decode( ShopAffiliate_Referral_Cookie::create( 'Jane_Doe-7', self::CLICK, self::NOW )->encode(), self::NOW );
		$this->assertNotNull( $decoded );
		$this->assertSame( 'Jane_Doe-7', $decoded->code );
		$this->assertSame( self::CLICK, $decoded->click_id );
		$this->assertSame( self::NOW, $decoded->landed_at );
		$this->assertSame( '2024-03-14T15:28:02Z', $decoded->landed_at_iso() );
	}

	public function test_click_id_is_lowercased(): void {
		$decoded = ShopAffiliate_Referral_Cookie::decode( 'jane|' . strtoupper( self::CLICK ) . '|1710430082' );
		$this->assertSame( self::CLICK, $decoded->click_id );
	}

	public function test_accepts_shorter_forms_and_encoded_separator(): void {
		$only_code = ShopAffiliate_Referral_Cookie::decode( 'jane' );
		$this->assertSame( 'jane', $only_code->code );
		$this->assertNull( $only_code->click_id );
		$this->assertNull( $only_code->landed_at );
		$this->assertNull( $only_code->landed_at_iso() );

		$two = ShopAffiliate_Referral_Cookie::decode( 'jane|' . self::CLICK );
		$this->assertSame( self::CLICK, $two->click_id );
		$this->assertNull( $two->landed_at );

		$encoded = ShopAffiliate_Referral_Cookie::decode( 'jane%7C' . self::CLICK . '%7c1710430082' );
		$this->assertSame( self::NOW, $encoded->landed_at );
	}

	/**
	 * @dataProvider bad_values
	 */
	public function test_rejects_bad_values( $raw ): void {
		$this->assertNull( ShopAffiliate_Referral_Cookie::decode( $raw, self::NOW ) );
	}

	public static function bad_values(): array {
		return array(
			'null'                   => array( null ),
			'array'                  => array( array( 'jane' ) ),
			'int'                    => array( 42 ),
			'empty'                  => array( '' ),
			'one-char code'          => array( 'j||1710430082' ),
			'leading dash'           => array( '-jane||1710430082' ),
			'code too long'          => array( str_repeat( 'a', 65 ) . '||1710430082' ),
			'space in code'          => array( 'ja ne||1710430082' ),
			'html in code'           => array( '<script>||1710430082' ),
			'trailing newline'       => array( "jane||1710430082\n" ),
			'four fields'            => array( 'jane|' . self::CLICK . '|1710430082|x' ),
			'bad uuid'               => array( 'jane|not-a-uuid|1710430082' ),
			'uuid without dashes'    => array( 'jane|3f2b8c1e9d4a4e5b8c7d0a1b2c3d4e5f|1710430082' ),
			'non-numeric time'       => array( 'jane||yesterday' ),
			'negative time'          => array( 'jane||-1710430082' ),
			'leading zero time'      => array( 'jane||01710430082' ),
			'time far in the future' => array( 'jane||' . ( self::NOW + 3600 ) ),
			'json'                   => array( '{"code":"jane"}' ),
			'over-long'              => array( 'jane|' . self::CLICK . '|1710430082' . str_repeat( '|', 100 ) ),
			'empty code'             => array( '|' . self::CLICK . '|1710430082' ),
		);
	}

	public function test_small_future_skew_is_tolerated(): void {
		$this->assertNotNull( ShopAffiliate_Referral_Cookie::decode( 'jane||' . ( self::NOW + 60 ), self::NOW ) );
	}

	public function test_without_now_future_time_is_not_checked(): void {
		$this->assertNotNull( ShopAffiliate_Referral_Cookie::decode( 'jane||' . ( self::NOW + 3600 ) ) );
	}

	public function test_code_validation_boundaries(): void {
		$this->assertTrue( ShopAffiliate_Referral_Cookie::is_valid_code( 'ab' ) );
		$this->assertTrue( ShopAffiliate_Referral_Cookie::is_valid_code( 'a' . str_repeat( 'b', 63 ) ) );
		$this->assertFalse( ShopAffiliate_Referral_Cookie::is_valid_code( 'a' . str_repeat( 'b', 64 ) ) );
		$this->assertFalse( ShopAffiliate_Referral_Cookie::is_valid_code( '_ab' ) );
		$this->assertFalse( ShopAffiliate_Referral_Cookie::is_valid_code( 'jané' ) );
	}

	public function test_create_rejects_invalid_parts(): void {
		$this->expectException( InvalidArgumentException::class );
		ShopAffiliate_Referral_Cookie::create( 'jane', 'nope', self::NOW );
	}

	public function test_create_rejects_invalid_code(): void {
		$this->expectException( InvalidArgumentException::class );
		ShopAffiliate_Referral_Cookie::create( 'j|x', null, self::NOW );
	}
}
